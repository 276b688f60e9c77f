/**
 * The payment schemes the model knows, by name, and which one pays each medical
 * community × insurance scheme under a month's policy (after covasim's and starsim's
 * registries of interventions and modules).
 *
 * Adding a scheme (as per-disease payment, 按病种付费, was added): one file implementing
 * PaymentScheme (sim/payment/scheme.ts), one entry here (its name, what it reads from
 * the policy, when it applies, how it is made), its policy levers in sim/policy.ts, and
 * its tests. The engine's loop does not change.
 */
import type { Policy } from "../policy";
import { CapitationPackage } from "./capitation-package";
import { coversCommunity } from "./case-mix";
import { DrgPoints } from "./drg";
import { FeeForService } from "./fee-for-service";
import { PerDiem } from "./per-diem";
import { PerDisease } from "./per-disease";
import type { PaymentScheme, SchemeEnvironment } from "./scheme";

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
  /** the scheme under this month's policy (and the run's parameters, case mix and price level) */
  create(policy: Policy, env: SchemeEnvironment): PaymentScheme;
}

const FFS = new FeeForService();

/**
 * Where CommunityPayments gets what the schemes are made with besides the policy (the
 * engine's run: sim/engine/state.ts RunSchemeEnvironment). An object with fields, not a
 * closure, so a copy of the engine's state (sim/engine/snapshot.ts) reads the copy's.
 */
export interface SchemeEnvironmentSource {
  environment(): SchemeEnvironment;
}

/** Without the engine's environment only schemes that read none of it can be made. */
const NO_ENVIRONMENT: SchemeEnvironmentSource = {
  environment(): SchemeEnvironment {
    const missing = (): never => {
      throw new RangeError("a case-based payment scheme needs the run's parameters, case mix and price level: construct CommunityPayments with an environment (sim/engine/state.ts does)");
    };
    return {
      get parameters() {
        return missing();
      },
      get caseMix() {
        return missing();
      },
      get priceIndex() {
        return missing();
      },
    };
  },
};

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
    name: "perDisease",
    label: { en: "per-disease payment", zh: "按病种付费" },
    policy: "payment.regime = perDisease; payment.perDisease; caseMix (listCoverage, price)",
    doc: "a fixed price per case of a disease on the tier's list (county ≥100, township ≥50 diseases); cases off the list, visits and care outside the scheme's tiers paid as claims",
    source: "004_95fd1871afdd6e42.txt §五(六); 002_cfc78cb0d70fb95d.txt §18",
    appliesTo: (p, id, s) => p.payment.regime === "perDisease" && p.payment.perDisease !== undefined && coversCommunity(p.payment.perDisease, id, s),
    create: (p, env) => new PerDisease(p.payment.perDisease!, env),
  },
  {
    name: "drg",
    label: { en: "DRG points under a budget", zh: "按疾病诊断相关分组（DRG）点数付费" },
    policy: "payment.regime = drg; payment.drg; caseMix (relativeWeight)",
    doc: "points per case (group weight × severity × tier coefficient); interim claims, and at year end a point value that spends exactly the year's budget (budget-neutral)",
    source: "001_ca634c5edf7b7e03.txt item 16 (§六(六)); 002_cfc78cb0d70fb95d.txt §18",
    appliesTo: (p, id, s) => p.payment.regime === "drg" && p.payment.drg !== undefined && coversCommunity(p.payment.drg, id, s),
    create: (p, env) => new DrgPoints(p.payment.drg!, env),
  },
  {
    name: "perDiem",
    label: { en: "per-diem payment", zh: "按床日付费" },
    policy: "payment.regime = perDiem; payment.perDiem; caseMix (lengthOfStay)",
    doc: "a rate per bed-day of the admissions at the scheme's tiers; everything else paid as claims",
    source: "002_cfc78cb0d70fb95d.txt §18; 000_d976d86ac1f892b7.txt §二(二)",
    appliesTo: (p, id, s) => p.payment.regime === "perDiem" && p.payment.perDiem !== undefined && coversCommunity(p.payment.perDiem, id, s),
    create: (p, env) => new PerDiem(p.payment.perDiem!, env),
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
    /** what the schemes are made with besides the policy (the engine passes the run's; sim/engine/state.ts) */
    private readonly environment: SchemeEnvironmentSource = NO_ENVIRONMENT,
  ) {
    this.payerOf = new Int16Array(communityIds.length * 2);
    this.perCase = new Uint8Array(communityIds.length * 2);
    this.schemes = communityIds.flatMap(() => [FFS, FFS]);
    for (let c = 0; c < communityIds.length; c++) for (let s = 0; s < 2; s++) this.payerOf[c * 2 + s] = s;
  }

  /** The schemes under this month's policy (one instance per scheme and month). */
  set(policy: Policy): void {
    const made = new Map<PaymentSchemeSpec, PaymentScheme>();
    let env: SchemeEnvironment | undefined;
    this.communityIds.forEach((id, c) => {
      for (let s = 0; s < 2; s++) {
        const spec = this.registry.find((x) => x.appliesTo(policy, id, s));
        if (!spec) throw new RangeError(`no payment scheme applies to community ${id}, insurance scheme ${s}; registered: ${this.registry.map((x) => x.name).join(", ")}`);
        let scheme = made.get(spec);
        if (!scheme) made.set(spec, (scheme = spec.create(policy, (env ??= this.environment.environment()))));
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
