/**
 * The payment schemes the model knows, by name, and which one pays each medical
 * community × insurance scheme under a month's policy (after covasim's and starsim's
 * registries of interventions and modules).
 *
 * Adding a scheme (say per-disease payment, 按病种付费): one file implementing
 * PaymentScheme (sim/payment/scheme.ts), one entry here (its name, what it reads from
 * the policy, when it applies, how it is made), its policy levers in sim/policy.ts, and
 * its tests. The engine's loop does not change.
 */
import type { Policy } from "../policy";
import { CapitationPackage } from "./capitation-package";
import { FeeForService } from "./fee-for-service";
import type { PaymentScheme } from "./scheme";

export interface PaymentSchemeSpec {
  readonly name: string;
  readonly label: { en: string; zh: string };
  /** the policy levers it reads */
  readonly policy: string;
  readonly doc: string;
  /** the seed clauses it implements */
  readonly source: string;
  /** whether it pays this community's care of this insurance scheme's members (0 resident, 1 employee) */
  appliesTo(policy: Policy, communityId: string, insuranceScheme: number): boolean;
  /** the scheme under this month's policy */
  create(policy: Policy): PaymentScheme;
}

const FFS = new FeeForService();

/** In order of precedence: the first that applies pays; fee-for-service applies to all. */
export const PAYMENT_SCHEMES: readonly PaymentSchemeSpec[] = [
  {
    name: "capitation",
    label: { en: "capitation package", zh: "按人头总额打包付费" },
    policy: "payment.regime = capitation; payment.capitation",
    doc: "monthly prepayment (总额预拨) by premium or last year's claims; the package pays every claim of its enrolled residents; surplus retained or returned, overspend shared at year end",
    source: "000_d976d86ac1f892b7.txt §二(二); 002 §18; 003 §三",
    appliesTo: (p, id, s) => {
      const cap = p.payment.capitation;
      const on = p.payment.regime === "capitation" && (cap.communities === "all" || cap.communities.includes(id));
      return s === 0 ? on : on && cap.coversEmployeeScheme;
    },
    create: (p) => new CapitationPackage(p.payment.capitation),
  },
  {
    name: "feeForService",
    label: { en: "fee-for-service", zh: "按项目付费" },
    policy: "payment.regime = feeForService (or a community or scheme the package does not cover)",
    doc: "the insurer pays each claim as it comes; nothing prepaid or settled",
    source: "the pre-reform default",
    appliesTo: () => true,
    create: () => FFS,
  },
];

/** The registered scheme of this name (throws, naming the registered ones, if none). */
export function paymentSchemeSpec(name: string): PaymentSchemeSpec {
  const s = PAYMENT_SCHEMES.find((x) => x.name === name);
  if (!s) throw new RangeError(`no payment scheme ${JSON.stringify(name)}; registered: ${PAYMENT_SCHEMES.map((x) => x.name).join(", ")}`);
  return s;
}

/**
 * The schemes in force this month for every community × insurance scheme, and who pays
 * each one's claims: payer slot 0, 1 = the insurer of that scheme; 2 + c = community c's
 * package (sim/books.ts).
 */
export class CommunityPayments {
  /** [c * 2 + insurance scheme] */
  readonly payerOf: Int16Array;
  /** 1 where the scheme pays per case (casePayment), [c * 2 + insurance scheme] */
  readonly perCase: Uint8Array;
  private readonly schemes: PaymentScheme[];

  constructor(
    private readonly communityIds: readonly string[],
    /** the schemes to choose from, in precedence order (default: the registry) */
    private readonly registry: readonly PaymentSchemeSpec[] = PAYMENT_SCHEMES,
  ) {
    this.payerOf = new Int16Array(communityIds.length * 2);
    this.perCase = new Uint8Array(communityIds.length * 2);
    this.schemes = communityIds.flatMap(() => [FFS, FFS]);
    for (let c = 0; c < communityIds.length; c++) for (let s = 0; s < 2; s++) this.payerOf[c * 2 + s] = s;
  }

  /** The schemes under this month's policy (one instance per scheme and month). */
  set(policy: Policy): void {
    const made = new Map<PaymentSchemeSpec, PaymentScheme>();
    this.communityIds.forEach((id, c) => {
      for (let s = 0; s < 2; s++) {
        const spec = this.registry.find((x) => x.appliesTo(policy, id, s));
        if (!spec) throw new RangeError(`no payment scheme applies to community ${id}, insurance scheme ${s}; registered: ${this.registry.map((x) => x.name).join(", ")}`);
        let scheme = made.get(spec);
        if (!scheme) made.set(spec, (scheme = spec.create(policy)));
        this.schemes[c * 2 + s] = scheme;
        this.payerOf[c * 2 + s] = scheme.paidFromPackage ? 2 + c : s;
        this.perCase[c * 2 + s] = scheme.casePayment ? 1 : 0;
      }
    });
  }

  scheme(c: number, insuranceScheme: number): PaymentScheme {
    return this.schemes[c * 2 + insuranceScheme];
  }

  /** 1 when the community's package pays this insurance scheme's claims, else 0 */
  packageFlag(c: number, insuranceScheme: number): number {
    return this.schemes[c * 2 + insuranceScheme].paidFromPackage ? 1 : 0;
  }
}
