/**
 * Fee-for-service (按项目付费): the insurer pays each claim as it comes; nothing is
 * prepaid or settled, and one more county-hospital case costs the community nothing —
 * the lead hospital keeps its margin on the fee.
 */
import type { PaymentScheme } from "./scheme";

export class FeeForService implements PaymentScheme {
  readonly name: string = "feeForService";
  readonly paidFromPackage = false;
  readonly chargesCommunity = false;

  monthlyPrepayment(): null {
    return null;
  }

  countyCaseCost(): number {
    return 0;
  }
}
