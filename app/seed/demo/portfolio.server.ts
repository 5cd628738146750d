import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "~/generated/prisma/client.ts";
import { slugFor } from "~/hub/hub.server.ts";
import { draftLessonsFromStop } from "~/hub/stop-draft.server.ts";
import { recordCreation } from "~/engine/apply-event.server.ts";
import { database } from "~/db/database.server.ts";
import {
  applyEvent,
  contextOf,
  startSnapshot,
  stateOf,
  workflows,
  type Actor,
  type GateOutcome,
  type PersistedSnapshot,
  type Stage,
} from "../../../workflows/index.ts";
import { stageOfState } from "../../../workflows/project.ts";
import { bidAnswers, bidRow, costLinesFor, type Person } from "./records.server.ts";
import { defaultFundRules, stageLabels } from "../../../workflows/rules.ts";
import { addDays, calendarDate, londonNoonInDays, londonToday } from "~/utils/dates.ts";
import { formatMoney } from "~/utils/format.ts";

// Earlier rounds of the demo fund, so that the portfolio, the knowledge hub and the
// similar-work panel have years of funded work to show: projects in every stage, some
// completed, some stopped, with their metrics, spend, gate decisions, conditions, adoptions
// and case studies. The first start makes them, so it must stay quick: rather than one
// database transaction per step, each bid's and each project's machine is run in memory
// through every step it took (a bid sent, certified, checked, assessed, ranked and funded; a
// project's gate requests, reviews, votes, conditions met and lessons), with the time each
// happened, and the history written is exactly those steps, so state, version, history and
// timeline agree. The bids' assessments are not kept, as nobody opens them years later.

export const demoPortfolioRounds = [
  {
    slug: "scan-2023",
    name: "Scan round 2023 to 2024",
    stage: "scan",
    opens: -1060,
    closes: -1000,
    published: -950,
    capPence: 40_000_00,
    budgetPence: 400_000_00,
  },
  {
    slug: "pilot-2024",
    name: "Pilot round 2024 to 2025",
    stage: "pilot",
    opens: -760,
    closes: -700,
    published: -650,
    capPence: 80_000_00,
    budgetPence: 800_000_00,
  },
  { slug: "scan-2025", name: "Scan round 2025", stage: "scan", opens: -300, closes: -250, published: -200, capPence: 40_000_00, budgetPence: 300_000_00 },
] as const;

type RoundSlug = (typeof demoPortfolioRounds)[number]["slug"];

/** People at the lead councils who have no demo user yet: officers ask for the gate reviews, certifiers signed the bids off. */
export const demoPortfolioPeople = [
  { email: "officer@bristol.example", name: "Chloe Bennett", role: "councilOfficer", org: "BST" },
  { email: "certifier@bristol.example", name: "Martin Fry", role: "certifier", org: "BST" },
  { email: "officer@nottingham.example", name: "Imran Hussain", role: "councilOfficer", org: "NGM" },
  { email: "certifier@nottingham.example", name: "Jo Whitaker", role: "certifier", org: "NGM" },
  { email: "officer@liverpool.example", name: "Siobhan Doyle", role: "councilOfficer", org: "LIV" },
  { email: "certifier@liverpool.example", name: "Kevin Roberts", role: "certifier", org: "LIV" },
  { email: "officer@essex.example", name: "Gareth Lewis", role: "councilOfficer", org: "ESS" },
  { email: "certifier@essex.example", name: "Sarah Milne", role: "certifier", org: "ESS" },
  { email: "officer@southwark.example", name: "Funmi Adebayo", role: "councilOfficer", org: "SWK" },
  { email: "certifier@southwark.example", name: "Peter Grant", role: "certifier", org: "SWK" },
  { email: "officer@york.example", name: "Rebecca Hall", role: "councilOfficer", org: "YOR" },
  { email: "certifier@york.example", name: "Alan Pearson", role: "certifier", org: "YOR" },
  { email: "officer@plymouth.example", name: "Ben Trelawny", role: "councilOfficer", org: "PLY" },
  { email: "certifier@plymouth.example", name: "Claire Rowe", role: "certifier", org: "PLY" },
  { email: "officer@coventry.example", name: "Harjit Sandhu", role: "councilOfficer", org: "COV" },
  { email: "certifier@coventry.example", name: "Lisa Moran", role: "certifier", org: "COV" },
  { email: "officer@hertfordshire.example", name: "Emma Collins", role: "councilOfficer", org: "HRT" },
  { email: "certifier@hertfordshire.example", name: "Richard Stone", role: "certifier", org: "HRT" },
  { email: "officer@brighton.example", name: "Nina Walsh", role: "councilOfficer", org: "BNH" },
  { email: "certifier@brighton.example", name: "Oliver Hunt", role: "certifier", org: "BNH" },
  { email: "officer@kent.example", name: "James Mercer", role: "councilOfficer", org: "KEN" },
  { email: "certifier@kent.example", name: "Helen Ashby", role: "certifier", org: "KEN" },
  { email: "officer@greatermanchester.example", name: "Zara Ahmed", role: "councilOfficer", org: "GMCA" },
  { email: "certifier@greatermanchester.example", name: "Neil Fletcher", role: "certifier", org: "GMCA" },
  { email: "officer@newcastle.example", name: "Callum Reid", role: "councilOfficer", org: "NET" },
  { email: "certifier@newcastle.example", name: "Louise Armstrong", role: "certifier", org: "NET" },
  { email: "officer@norfolk.example", name: "Sophie Turner", role: "councilOfficer", org: "NFK" },
  { email: "certifier@norfolk.example", name: "Graham Pike", role: "certifier", org: "NFK" },
  { email: "officer@bradford.example", name: "Yasmin Akhtar", role: "councilOfficer", org: "BRD" },
  { email: "certifier@bradford.example", name: "Paul Sutcliffe", role: "certifier", org: "BRD" },
  { email: "certifier@leeds.example", name: "Mary Ingham", role: "certifier", org: "LDS" },
  { email: "certifier@camden.example", name: "Simon Adler", role: "certifier", org: "CMD" },
] as const;

// Councils in these partnerships and adoptions that the register does not mark as signatories.
const demoPortfolioSignatories: Record<string, string> = {
  BST: "2018-07-04",
  NGM: "2018-11-02",
  LIV: "2019-02-14",
  ESS: "2018-10-08",
  SWK: "2018-07-04",
  YOR: "2019-04-01",
  PLY: "2019-01-10",
  COV: "2018-09-20",
  HRT: "2019-03-28",
  BNH: "2018-12-06",
  CON: "2019-05-02",
  NET: "2019-06-11",
  WGN: "2018-08-15",
  SKP: "2018-07-04",
  ISL: "2018-07-04",
  LBH: "2019-01-31",
  CRY: "2019-07-22",
  DER: "2019-09-03",
  OXF: "2019-02-20",
  KEN: "2019-06-17",
  NFK: "2019-10-10",
  BRD: "2019-05-23",
  SND: "2019-11-14",
  GLS: "2020-01-16",
  BAS: "2019-03-12",
  BNE: "2018-07-04",
  DEV: "2019-08-29",
  KIN: "2020-02-06",
  LEC: "2019-12-05",
  SGC: "2019-04-25",
  SNO: "2020-03-03",
};

interface MetricSpec {
  name: string;
  unit: string;
  baseline: number;
  target: number;
  /** Measurements taken in each stage, in order. */
  actuals: Partial<Record<Stage, number[]>>;
}

interface GateSpec {
  outcome: GateOutcome;
  reason: string;
  /** Asked for the next stage with the request (a go releases it). */
  nextTranchePence?: number;
  conditions?: string[];
}

interface AdoptionSpec {
  code: string;
  status: "registered" | "planning" | "live" | "stopped";
  /** Days from now (negative: already live). */
  goLiveIn?: number;
  savingsPence?: number;
  note?: string;
}

interface CaseStudySpec {
  status: "published" | "inReview";
  approach: string;
  evidence: string;
  outcome: string;
  lessons: string;
  reusableOutputs: string;
}

export interface DemoPortfolioProject {
  round: RoundSlug;
  title: string;
  lead: string;
  partners: [string, string, ...string[]];
  awardPence: number;
  serviceArea: string;
  summary: string;
  problem: string;
  users: string;
  approach: string;
  metrics: MetricSpec[];
  gates: GateSpec[];
  /** A last gate still under way: asked for, or opened by the fund team. */
  pending?: "requested" | "inReview";
  /** A stopped project whose team has written its lessons, and so is closed. */
  lessons?: string;
  adoptions?: AdoptionSpec[];
  caseStudy?: CaseStudySpec;
}

const go = (reason: string, nextTranchePence?: number): GateSpec => ({ outcome: "go", reason, nextTranchePence });

export const demoPortfolioProjects: DemoPortfolioProject[] = [
  // ------------------------------------------------ Scan round 2023: three years on
  {
    round: "scan-2023",
    title: "Council tax single person discount checks",
    lead: "BST",
    partners: ["SGC", "BAS", "PLY"],
    awardPence: 30_000_00,
    serviceArea: "Council tax",
    summary:
      "Residents confirm their single person discount online each year, and the council checks it against open data instead of sending paper review forms.",
    problem:
      "Councils send paper forms to every household with a single person discount; a third never reply, and chasing them and the wrongly claimed discounts costs more than it recovers.",
    users: "About 180,000 households with a single person discount across four councils, and the council tax teams who review them.",
    approach: "A short online confirmation journey, matched against electoral register changes, with letters only for the households that need one.",
    metrics: [
      { name: "Reviews completed online", unit: "%", baseline: 8, target: 60, actuals: { scan: [15], pilot: [38, 52], scale: [63, 67] } },
      { name: "Cost per review", unit: "£", baseline: 6.4, target: 2, actuals: { pilot: [3.9, 2.8], scale: [2.1, 1.8] } },
    ],
    gates: [
      go("The discovery found the same problem in all four councils, with a clear way to test it.", 40_000_00),
      go("The pilot moved half of reviews online and recovered more wrongly claimed discount than it cost.", 28_000_00),
      go("Five councils now run the service and the savings are reported from live use."),
    ],
    adoptions: [
      { code: "CON", status: "live", goLiveIn: -210, savingsPence: 48_000_00 },
      { code: "DEV", status: "live", goLiveIn: -150, savingsPence: 36_500_00 },
      { code: "GLS", status: "planning", goLiveIn: 60 },
      { code: "NFK", status: "registered" },
    ],
    caseStudy: {
      status: "published",
      approach:
        "Discovery with residents and council tax teams in four councils; a prototype tested with 40 residents; then a pilot sending email and text invitations before any letter.",
      evidence: "Online completion rose from 8% to 67%; the cost of each review fell from £6.40 to £1.80.",
      outcome: "Completed: run by the four partners and two adopting councils, with two more joining.",
      lessons:
        "Send the invitation by email and text before printing anything: most residents answer within a day. Agree the data matching rules with the electoral services team at the start.",
      reusableOutputs: "The online journey's code and designs, the matching rules, and the letter and message templates.",
    },
  },
  {
    round: "scan-2023",
    title: "Missed bin collection reports",
    lead: "NGM",
    partners: ["DER", "LEC"],
    awardPence: 25_000_00,
    serviceArea: "Waste",
    summary: "Residents report a missed bin in under a minute, and the crews see the report on their in-cab devices before they leave the street.",
    problem: "Missed bins are reported by phone, often days later, and crews cannot check a report against what they saw on the round.",
    users: "About 320,000 households in three council areas, the contact centre and the collection crews.",
    approach: "An online report that reads the round from the in-cab system, so a resident is told at once if the crew has already recorded a problem.",
    metrics: [
      { name: "Missed bin calls a month", unit: "calls", baseline: 4200, target: 1500, actuals: { scan: [4100], pilot: [2600, 1900], scale: [1450] } },
      { name: "Collected the same day", unit: "%", baseline: 35, target: 85, actuals: { pilot: [71, 80], scale: [88] } },
    ],
    gates: [
      go("A clear case: every partner uses in-cab devices that can take the reports.", 45_000_00),
      go("Calls fell by more than half in the pilot, and crews want to keep it.", 25_000_00),
    ],
    adoptions: [
      { code: "SND", status: "live", goLiveIn: -90, savingsPence: 22_000_00 },
      { code: "WGN", status: "live", goLiveIn: -30, savingsPence: 9_500_00 },
      { code: "BRD", status: "planning", goLiveIn: 45 },
      { code: "OXF", status: "stopped", note: "Our in-cab supplier could not send the round's data in time; we will look again when the contract ends." },
    ],
    caseStudy: {
      status: "published",
      approach: "Shadowed crews on 30 rounds, then built the report against the in-cab system's interface and piloted it in one depot per council.",
      evidence: "Missed bin calls fell from 4,200 to 1,900 a month in the pilot; 80% of reported bins collected the same day.",
      outcome: "In Scale: live in two more councils, with a third planning.",
      lessons: "Talk to the in-cab system's supplier first: the interface decides what a resident can be told.",
      reusableOutputs: "The report form, the in-cab integration and the crew's briefing guide.",
    },
  },
  {
    round: "scan-2023",
    title: "Parking permit renewals online",
    lead: "SWK",
    partners: ["LBH", "ISL", "CRY"],
    awardPence: 28_000_00,
    serviceArea: "Parking",
    summary: "Residents renew a parking permit online in one visit, with their vehicle and address checked automatically.",
    problem:
      "Renewing a resident's parking permit needs scanned documents checked by hand, so renewals take weeks and penalty charges are issued to residents who have paid.",
    users: "About 90,000 permit holders in four London boroughs, and the parking services teams.",
    approach: "Checks against the vehicle register and the council's own address data, so most renewals need no documents at all.",
    metrics: [
      { name: "Days to issue a renewal", unit: "days", baseline: 18, target: 2, actuals: { scan: [17], pilot: [6, 3], scale: [1.5] } },
      { name: "Renewals needing documents", unit: "%", baseline: 100, target: 20, actuals: { pilot: [35, 24], scale: [16] } },
    ],
    gates: [
      go("All four boroughs share the problem and the checks are available to them.", 42_000_00),
      go("Renewals now take three days, and the boroughs' own permit system supplier has agreed to the interface.", 28_000_00),
      go("Live in six boroughs with the savings reported; the product has an owner for its upkeep."),
    ],
    adoptions: [
      { code: "BNE", status: "live", goLiveIn: -260, savingsPence: 31_000_00 },
      { code: "HCK", status: "live", goLiveIn: -180, savingsPence: 27_500_00 },
      { code: "CMD", status: "planning", goLiveIn: 30 },
    ],
    caseStudy: {
      status: "published",
      approach:
        "Mapped the renewal journey in four boroughs; found the same five checks in each; automated them against the vehicle register and address data.",
      evidence: "Time to issue a renewal fell from 18 days to under 2; only 16% of renewals now need a document.",
      outcome: "Completed: run by six boroughs.",
      lessons: "Ask what a check is for before automating it: two of the five checks could simply stop.",
      reusableOutputs: "The renewal journey, its interface to permit systems, and the data-sharing agreement.",
    },
  },
  {
    round: "scan-2023",
    title: "Digital library membership",
    lead: "YOR",
    partners: ["NET", "SND"],
    awardPence: 20_000_00,
    serviceArea: "Libraries",
    summary: "Join the library online and borrow e-books the same day, without visiting a branch to show proof of address.",
    problem: "Joining a library needs a visit with proof of address, so people who cannot easily reach a branch never start borrowing e-books.",
    users: "Residents of three council areas who are not library members, and library staff.",
    approach: "An online joining form with an address check, issuing a digital card straight away.",
    metrics: [{ name: "New members joining online", unit: "a month", baseline: 0, target: 1200, actuals: { scan: [0], pilot: [180, 240] } }],
    gates: [
      go("The partners have agreed one joining policy, which makes a shared form possible.", 45_000_00),
      {
        outcome: "stop",
        reason:
          "Sign-ups stayed at a fifth of the target: the library management systems could not issue digital cards without a costly upgrade that none of the partners can fund.",
      },
    ],
    caseStudy: {
      status: "published",
      approach: "Agreed one joining policy across three library services, then piloted an online form in two of them.",
      evidence: "240 new members a month at best, against a target of 1,200.",
      outcome: "Stopped at the pilot gate.",
      lessons:
        "Check what the library management system can do before designing the journey: the digital card was the whole point, and the system could not issue one. The shared joining policy is worth keeping on its own.",
      reusableOutputs: "The shared joining policy and the research with non-members.",
    },
  },
  {
    round: "scan-2023",
    title: "Licensing applications for taxis",
    lead: "LIV",
    partners: ["WGN", "SKP"],
    awardPence: 22_000_00,
    serviceArea: "Licensing",
    summary: "A shared online application for taxi and private hire driver licences.",
    problem: "Taxi and private hire drivers apply on paper and wait weeks for appointments to check their documents.",
    users: "About 9,000 licensed drivers across three councils, and the licensing teams.",
    approach: "Discovery of the application and checks in three licensing teams.",
    metrics: [{ name: "Weeks from application to licence", unit: "weeks", baseline: 11, target: 4, actuals: { scan: [11] } }],
    gates: [
      {
        outcome: "stop",
        reason:
          "The discovery found that the delay comes from the criminal record check, which a council form cannot shorten; national guidance on it is expected next year.",
      },
    ],
    lessons:
      "Find where the time actually goes before designing anything: here it was the criminal record check, outside the councils' control. The discovery's journey maps are published for any licensing team.",
    caseStudy: {
      status: "published",
      approach: "Timed 60 applications end to end in three licensing teams and interviewed drivers and officers.",
      evidence: "Eight of the eleven weeks were spent waiting for the criminal record check.",
      outcome: "Stopped at the scan gate, with its lessons recorded.",
      lessons: "Find where the time actually goes before designing anything: here it was the criminal record check, outside the councils' control.",
      reusableOutputs: "The journey maps and the timings of each step.",
    },
  },
  {
    round: "scan-2023",
    title: "Early help referrals for children's services",
    lead: "COV",
    partners: ["BIR", "DER"],
    awardPence: 35_000_00,
    serviceArea: "Children's services",
    summary: "Schools and health visitors refer a family for early help through one form that tells them at once where the referral will go.",
    problem: "Professionals send early help referrals by email in different formats; a third are sent back for missing information, and families wait.",
    users: "Schools, health visitors and GPs making about 14,000 referrals a year, and the early help hubs.",
    approach: "One referral form, designed with the professionals who make referrals, routed by the family's address and needs.",
    metrics: [
      { name: "Referrals sent back for information", unit: "%", baseline: 32, target: 10, actuals: { scan: [31], pilot: [18, 12] } },
      { name: "Days from referral to first contact", unit: "days", baseline: 9, target: 3, actuals: { pilot: [6, 4] } },
    ],
    gates: [
      {
        outcome: "conditionalGo",
        reason: "A strong case, but the pilot cannot start before the partners share data lawfully.",
        nextTranchePence: 45_000_00,
        conditions: ["Sign the data sharing agreement between the three councils and the health partners before the pilot starts"],
      },
      { outcome: "hold", reason: "Good early results, but the pilot has run in only one council; hold until all three report.", nextTranchePence: 15_000_00 },
    ],
  },
  {
    round: "scan-2023",
    title: "Highways defect reporting",
    lead: "ESS",
    partners: ["HRT", "KEN"],
    awardPence: 30_000_00,
    serviceArea: "Highways",
    summary: "Report a pothole or broken streetlight on a map, see if it is already reported, and follow the repair.",
    problem: "Highways teams receive many duplicate reports of the same defect, and residents are never told when it is fixed.",
    users: "Residents and councillors in three county councils, and the highways inspectors.",
    approach: "A map-based report that shows existing reports and the inspection's outcome, linked to each council's highways asset system.",
    metrics: [
      { name: "Duplicate reports", unit: "%", baseline: 40, target: 10, actuals: { scan: [38], pilot: [21, 14], scale: [11] } },
      { name: "Residents told of the outcome", unit: "%", baseline: 5, target: 90, actuals: { pilot: [62, 85], scale: [91] } },
    ],
    gates: [
      go("All three counties face the same duplicates and can link their asset systems.", 40_000_00),
      go("Duplicates more than halved, and residents are now told the outcome.", 28_000_00),
    ],
    adoptions: [
      { code: "NFK", status: "live", goLiveIn: -60, savingsPence: 18_000_00 },
      { code: "GLS", status: "registered" },
    ],
  },
  {
    round: "scan-2023",
    title: "Adult social care financial assessments",
    lead: "HRT",
    partners: ["ESS", "OXF"],
    awardPence: 32_000_00,
    serviceArea: "Adult social care",
    summary: "People needing care work out what they will pay and send their financial details online, before a visit.",
    problem: "Financial assessments for care need a home visit and paper forms; people wait weeks to learn what their care will cost.",
    users: "About 11,000 financial assessments a year in three county councils, and the financial assessment officers.",
    approach: "An online calculator and form, with the officer reviewing the details before any visit.",
    metrics: [{ name: "Weeks to a financial assessment", unit: "weeks", baseline: 7, target: 2, actuals: { scan: [7], pilot: [5, 5] } }],
    gates: [
      go("The partners share the charging rules, so one calculator can serve all three.", 42_000_00),
      {
        outcome: "stop",
        reason: "Waiting times did not fall: most people still asked for a visit, and the charging rules change again next April.",
      },
    ],
    caseStudy: {
      status: "inReview",
      approach: "",
      evidence: "",
      outcome: "",
      lessons: "",
      reusableOutputs: "",
    },
  },

  // ------------------------------------------------ Pilot round 2024: two years on
  {
    round: "pilot-2024",
    title: "Housing benefit change of circumstances",
    lead: "PLY",
    partners: ["CON", "DEV"],
    awardPence: 60_000_00,
    serviceArea: "Benefits",
    summary:
      "Tell the council about a change in income or household once, online, and see straight away what it means for housing benefit and council tax support.",
    problem: "Changes of circumstances arrive late and incomplete, creating overpayments that residents struggle to repay.",
    users: "About 40,000 people claiming housing benefit or council tax support in three councils, and the benefits processors.",
    approach: "A guided online form that asks only what the change affects and shows the new award before it is sent.",
    metrics: [
      { name: "Overpayments from late changes", unit: "£ thousands a year", baseline: 2100, target: 1200, actuals: { pilot: [1800, 1450], scale: [1150] } },
      { name: "Changes reported online", unit: "%", baseline: 20, target: 75, actuals: { pilot: [55, 68], scale: [79] } },
    ],
    gates: [
      go("Overpayments are falling in all three councils and the form works with each benefits system.", 35_000_00),
      go("Live in five councils, with overpayments down by almost half."),
    ],
    adoptions: [
      { code: "BST", status: "live", goLiveIn: -120, savingsPence: 64_000_00 },
      { code: "SND", status: "live", goLiveIn: -45, savingsPence: 21_000_00 },
    ],
    caseStudy: {
      status: "published",
      approach: "Tested the form with claimants in jobcentres and libraries; built it against the three partners' benefits systems.",
      evidence: "Overpayments from late changes fell from £2.1 million to £1.15 million a year; 79% of changes now reported online.",
      outcome: "Completed: live in five councils.",
      lessons: "Showing the new award before sending made people report changes sooner: they could see it was not a trap.",
      reusableOutputs: "The form, the award calculator and the integration with two benefits systems.",
    },
  },
  {
    round: "pilot-2024",
    title: "Planning application validation",
    lead: "BNH",
    partners: ["LBH", "OXF", "KEN"],
    awardPence: 70_000_00,
    serviceArea: "Planning",
    summary: "Planning applications are checked for missing documents as they are made, so officers receive applications they can validate first time.",
    problem: "Half of planning applications are invalid when they arrive, and validation officers spend their time chasing missing plans.",
    users: "Applicants and agents making about 25,000 applications a year to four planning authorities, and the validation officers.",
    approach: "Checks of each document against the council's local validation list while the application is being made.",
    metrics: [
      { name: "Applications valid on arrival", unit: "%", baseline: 48, target: 80, actuals: { pilot: [63, 74], scale: [82] } },
      { name: "Days to validate", unit: "days", baseline: 14, target: 5, actuals: { pilot: [9, 7], scale: [4] } },
    ],
    gates: [
      {
        outcome: "conditionalGo",
        reason: "The results are strong; scaling needs the validation lists in one format first.",
        nextTranchePence: 28_000_00,
        conditions: ["Publish the partners' local validation lists in the shared open format"],
      },
    ],
    adoptions: [
      { code: "SWK", status: "live", goLiveIn: -80, savingsPence: 33_000_00 },
      { code: "YOR", status: "live", goLiveIn: -20, savingsPence: 8_000_00 },
      { code: "CRY", status: "planning", goLiveIn: 75 },
      { code: "NET", status: "registered" },
    ],
    caseStudy: {
      status: "published",
      approach: "Worked with agents, who make most applications, to design checks they would not ignore.",
      evidence: "Valid applications on arrival rose from 48% to 74% in the pilot.",
      outcome: "In Scale, with two councils live.",
      lessons: "Agents make most applications: design for them first, and the checks are used.",
      reusableOutputs: "The document checks and the shared validation list format.",
    },
  },
  {
    round: "pilot-2024",
    title: "Blue badge renewals",
    lead: "MAN",
    partners: ["SKP", "WGN"],
    awardPence: 55_000_00,
    serviceArea: "Parking",
    summary: "Blue badge holders renew online with evidence they already gave the council reused, and are reminded before the badge expires.",
    problem: "Badges lapse because holders are not reminded, and renewals ask again for evidence the council already holds.",
    users: "About 70,000 blue badge holders in three councils, and the teams who assess them.",
    approach: "Reminders 12 weeks before expiry and a renewal form that reuses the last application's evidence.",
    metrics: [{ name: "Badges renewed before they lapse", unit: "%", baseline: 55, target: 90, actuals: { pilot: [78, 86], scale: [91] } }],
    gates: [go("Nearly nine in ten badges renewed in time in the pilot.", 30_000_00)],
    adoptions: [
      { code: "LIV", status: "live", goLiveIn: -40, savingsPence: 12_000_00 },
      { code: "COV", status: "planning", goLiveIn: 20 },
    ],
  },
  {
    round: "pilot-2024",
    title: "School admissions appeals",
    lead: "KEN",
    partners: ["ESS", "NFK"],
    awardPence: 50_000_00,
    serviceArea: "Children's services",
    summary: "Parents lodge a school admissions appeal online and follow it to the hearing.",
    problem: "Appeals are lodged on paper, and parents do not know when their hearing is until a letter arrives.",
    users: "Parents making about 6,000 appeals a year in three counties, and the appeals clerks.",
    approach: "An online appeal with hearing dates offered by text and email.",
    metrics: [{ name: "Appeals lodged online", unit: "%", baseline: 30, target: 85, actuals: { pilot: [41, 44] } }],
    gates: [
      {
        outcome: "stop",
        reason:
          "Most parents already appeal by email, and the clerks' case management system is being replaced by all three councils next year: a new form would be thrown away.",
      },
    ],
    caseStudy: {
      status: "published",
      approach: "",
      evidence: "",
      outcome: "",
      lessons: "",
      reusableOutputs: "",
    },
  },
  {
    round: "pilot-2024",
    title: "Temporary accommodation placements",
    lead: "LDS",
    partners: ["BRD", "SHF"],
    awardPence: 75_000_00,
    serviceArea: "Housing",
    summary: "Housing officers find and book suitable temporary accommodation for a homeless household in one place, with the household's needs matched.",
    problem: "Officers phone round providers to place homeless households, often late at night, and placements break down because needs were missed.",
    users: "Housing options officers placing about 5,000 households a year in three cities, and the accommodation providers.",
    approach: "A shared register of available temporary accommodation, matched to each household's needs and booked online.",
    metrics: [
      { name: "Placements that break down", unit: "%", baseline: 22, target: 10, actuals: { pilot: [17, 12], scale: [9] } },
      { name: "Hours to place a household", unit: "hours", baseline: 5, target: 1.5, actuals: { pilot: [3, 2], scale: [1.2] } },
    ],
    gates: [
      go("Fewer placements break down and officers place households in half the time.", 22_000_00),
      go("Live in all three cities and two more, and providers keep the register up to date themselves."),
    ],
    adoptions: [
      { code: "BIR", status: "live", goLiveIn: -100, savingsPence: 85_000_00 },
      { code: "NGM", status: "live", goLiveIn: -50, savingsPence: 41_000_00 },
      { code: "DER", status: "registered" },
    ],
    caseStudy: {
      status: "published",
      approach: "Spent nights with the out-of-hours team; built the register with two providers, then opened it to all.",
      evidence: "Placements breaking down fell from 22% to 9%; time to place a household from five hours to just over one.",
      outcome: "Completed: live in five councils.",
      lessons: "Providers will keep their own vacancies up to date if it gets them bookings faster.",
      reusableOutputs: "The accommodation register, the matching rules and the provider agreement.",
    },
  },
  {
    round: "pilot-2024",
    title: "Adult social care provider vacancies",
    lead: "GMCA",
    partners: ["MAN", "SKP", "WGN"],
    awardPence: 65_000_00,
    serviceArea: "Adult social care",
    summary: "Care homes and home care providers publish their vacancies daily, so hospital discharge teams find a place without phoning round.",
    problem: "Discharge teams phone care providers one by one to find a vacancy, and people stay in hospital longer than they need to.",
    users: "Hospital discharge teams and brokers across Greater Manchester, and about 400 care providers.",
    approach: "A daily vacancy return that takes a provider a minute, shown to brokers by area and type of care.",
    metrics: [{ name: "Days delayed in hospital waiting for care", unit: "days", baseline: 6, target: 2, actuals: { pilot: [4.5, 3] } }],
    gates: [
      {
        outcome: "recycle",
        reason: "Only a third of providers report daily; test the return again with smaller providers before deciding.",
        nextTranchePence: 20_000_00,
      },
    ],
  },
  {
    round: "pilot-2024",
    title: "Council tax reduction for care leavers",
    lead: "CMD",
    partners: ["ISL", "HCK"],
    awardPence: 45_000_00,
    serviceArea: "Council tax",
    summary: "Care leavers are exempted from council tax automatically, wherever in the partnership they live, without having to apply.",
    problem: "Care leavers miss their council tax exemption because they must apply, and many fall into arrears in their first tenancy.",
    users: "About 1,200 care leavers in three boroughs, their personal advisers and the council tax teams.",
    approach: "A shared list of care leavers, kept by leaving care teams, that council tax systems read each night.",
    metrics: [{ name: "Care leavers with the exemption applied", unit: "%", baseline: 45, target: 95, actuals: { pilot: [88, 96], scale: [97] } }],
    gates: [go("Almost every care leaver now has the exemption, without applying.", 25_000_00)],
    adoptions: [
      { code: "LBH", status: "live", goLiveIn: -70, savingsPence: 0, note: "No saving to the council: the benefit is to care leavers, who avoid arrears." },
      { code: "SWK", status: "planning", goLiveIn: 40 },
    ],
  },

  // ------------------------------------------------ Scan round 2025: this year
  {
    round: "scan-2025",
    title: "Fly-tipping evidence sharing",
    lead: "BRD",
    partners: ["LDS", "SHF"],
    awardPence: 30_000_00,
    serviceArea: "Waste",
    summary: "Enforcement officers share fly-tipping evidence across council boundaries, so repeat offenders are found and prosecuted.",
    problem: "Fly-tippers cross council boundaries, and each council's evidence stays in its own system.",
    users: "Enforcement officers in three councils.",
    approach: "Discovery of what evidence each council keeps and what the law lets them share.",
    metrics: [{ name: "Fly-tipping cases with shared evidence", unit: "%", baseline: 0, target: 40, actuals: { scan: [5] } }],
    gates: [],
    pending: "inReview",
  },
  {
    round: "scan-2025",
    title: "Home to school transport applications",
    lead: "NFK",
    partners: ["KIN", "SNO"],
    awardPence: 35_000_00,
    serviceArea: "Children's services",
    summary: "Parents of children with special educational needs apply for school transport once, with the education plan already known to the council.",
    problem: "Parents apply for school transport separately from their child's education plan, and decisions arrive after term has started.",
    users: "Families of about 3,000 children with education plans, and the transport eligibility team.",
    approach: "Discovery with families and the transport team, then a prototype joined to the education plan.",
    metrics: [{ name: "Decisions made before term starts", unit: "%", baseline: 60, target: 95, actuals: { scan: [62] } }],
    gates: [],
    pending: "requested",
  },
  {
    round: "scan-2025",
    title: "Library room bookings",
    lead: "NET",
    partners: ["SND", "YOR"],
    awardPence: 18_000_00,
    serviceArea: "Libraries",
    summary: "Community groups book library rooms online and pay in the same visit.",
    problem: "Library rooms sit empty because groups can only book them by phone during opening hours.",
    users: "Community groups and residents in three council areas, and library staff.",
    approach: "Discovery of how rooms are booked and used now, across 40 libraries.",
    metrics: [{ name: "Room use", unit: "% of open hours", baseline: 22, target: 45, actuals: {} }],
    gates: [],
  },
];

function answersFor(demo: DemoPortfolioProject) {
  return bidAnswers({
    ...demo,
    collaboration: "A board of one officer from each council meets monthly; the lead council holds the budget and the contracts.",
    reuse: "GOV.UK Notify and GOV.UK Pay where they fit, and the patterns of the Local Digital collaboration.",
    openness: "Code, research and designs published openly; show and tells every fortnight.",
    costs: costLinesFor(demo.awardPence),
    risks: "Supplier delay: fixed milestones and a break clause. Data sharing: agreements signed before anything is tested with residents.",
    evaluationPlan: "Measure the baseline before starting, then monthly, and report against the target at each gate.",
  });
}

/** Everything a `historyPayload` keeps of an event: its own fields, and the facts without the rules. */
function payloadOf(event: Record<string, unknown>) {
  const { type: _type, actor: _actor, at: _at, reason: _reason, facts, ...rest } = event;
  if (facts && typeof facts === "object") {
    const { rules: _rules, ...decisive } = facts as Record<string, unknown>;
    return JSON.parse(JSON.stringify({ ...rest, facts: decisive })) as Prisma.InputJsonValue;
  }
  return JSON.parse(JSON.stringify(rest)) as Prisma.InputJsonValue;
}

const pounds = (n: number) => Math.round(n);

export async function seedDemoPortfolio(prisma: PrismaClient): Promise<void> {
  const fund = await prisma.fund.findUniqueOrThrow({ where: { slug: "local-digital" } });
  const codes = [
    "MHCLG",
    ...demoPortfolioPeople.map((o) => o.org),
    ...demoPortfolioProjects.flatMap((p) => [p.lead, ...p.partners, ...(p.adoptions ?? []).map((a) => a.code)]),
  ];
  const orgRows = await prisma.organisation.findMany({
    where: { code: { in: [...new Set(codes)] } },
    select: { id: true, code: true, name: true, kind: true, declarationSignedAt: true },
  });
  const org = new Map(orgRows.map((o) => [o.code, o]));
  const missing = [...new Set(codes)].filter((code) => !org.has(code));
  if (missing.length) throw new Error(`Demo portfolio: the register has no ${missing.join(", ")}.`);

  await prisma.$transaction(async (tx) => {
    for (const [code, signed] of Object.entries(demoPortfolioSignatories)) {
      if (org.get(code)?.declarationSignedAt) continue;
      await tx.organisation.update({ where: { code }, data: { declarationSignedAt: calendarDate(signed) } });
    }
    await tx.user.createMany({
      data: demoPortfolioPeople.map((o) => ({ email: o.email, name: o.name, role: o.role, organisationId: org.get(o.org)!.id })),
      skipDuplicates: true,
    });
  });

  const users = await prisma.user.findMany({
    where: { OR: [{ role: { in: ["councilOfficer", "certifier", "fundTeam", "gateApprover"] } }] },
    select: { id: true, email: true, name: true, role: true, organisationId: true, senior: true },
    orderBy: { email: "asc" },
  });
  const asPerson = (u: (typeof users)[number]): Person => ({ userId: u.id, role: u.role, organisationId: u.organisationId, senior: u.senior, name: u.name });
  const byEmail = (email: string) => {
    const found = users.find((u) => u.email === email);
    if (!found) throw new Error(`Demo portfolio: the demo user ${email} is missing.`);
    return asPerson(found);
  };
  const fundTeam = byEmail("fund.team@mhclg.example");
  const approvers = [byEmail("approver@mhclg.example"), byEmail("approver2@mhclg.example")];
  const officerOf = (code: string) => {
    const found = users.find((u) => u.role === "councilOfficer" && u.organisationId === org.get(code)!.id);
    if (!found) throw new Error(`Demo portfolio: no demo officer at ${code}.`);
    return asPerson(found);
  };
  const certifierOf = (code: string) => {
    const found = users.find((u) => u.role === "certifier" && u.organisationId === org.get(code)!.id);
    if (!found) throw new Error(`Demo portfolio: no demo certifier at ${code}.`);
    return asPerson(found);
  };

  const rounds = new Map<RoundSlug, { id: string; stage: Stage; published: number; closes: number }>();
  for (const r of demoPortfolioRounds) {
    const created = await prisma.round.create({
      data: {
        fundId: fund.id,
        slug: r.slug,
        name: r.name,
        stage: r.stage,
        opensAt: londonNoonInDays(r.opens),
        closesAt: londonNoonInDays(r.closes),
        assessmentDueAt: londonNoonInDays(r.closes + 25),
        capPence: r.capPence,
        budgetPence: r.budgetPence,
        rules: defaultFundRules as object,
        guidance: `Bid for up to ${formatMoney(r.capPence)} for the ${stageLabels[r.stage].toLowerCase()} stage, with at least two other councils.`,
        decisionMessage: "Thank you for bidding. The panel's feedback on your bid is below.",
        decisionsPublishedAt: londonNoonInDays(r.published),
      },
      select: { id: true },
    });
    rounds.set(r.slug, { id: created.id, stage: r.stage, published: r.published, closes: r.closes });
  }

  const perRound = new Map<RoundSlug, number>();
  for (const [index, demo] of demoPortfolioProjects.entries()) {
    const round = rounds.get(demo.round)!;
    const n = perRound.get(demo.round) ?? 0;
    perRound.set(demo.round, n + 1);
    const { id: projectId, reference } = await fundedProject(prisma, demo, round, n, {
      officer: officerOf(demo.lead),
      certifier: certifierOf(demo.lead),
      fundTeam,
      org,
    });
    await deliver(prisma, demo, projectId, reference, round, { officer: officerOf(demo.lead), fundTeam, approver: approvers[index % approvers.length]!, org });
  }
}

/** The funded bid (made compactly, history and all) and its project, created when the decision was published. */
async function fundedProject(
  prisma: PrismaClient,
  demo: DemoPortfolioProject,
  round: { id: string; stage: Stage; published: number; closes: number },
  n: number,
  people: {
    officer: Person;
    certifier: Person;
    fundTeam: Person;
    org: Map<string, { id: string; name: string; kind: string; declarationSignedAt: Date | null }>;
  },
) {
  const { officer, certifier, fundTeam, org } = people;
  const lead = org.get(demo.lead)!;
  const bidId = randomUUID();
  const drafted = londonNoonInDays(round.closes - 40 + n);
  const at = (d: number) => londonNoonInDays(round.closes + d).toISOString();
  const rules = defaultFundRules;
  const councils = [demo.lead, ...demo.partners].map((code, i) => ({
    organisationId: org.get(code)!.id,
    name: org.get(code)!.name,
    kind: org.get(code)!.kind,
    role: i ? "partner" : "lead",
    signedDeclaration: org.get(code)!.declarationSignedAt !== null || code in demoPortfolioSignatories,
  }));
  const submission = {
    rules,
    deadline: londonNoonInDays(round.closes).toISOString(),
    stage: round.stage,
    amountRequestedPence: demo.awardPence,
    capPence: demoPortfolioRounds.find((r) => r.slug === demo.round)!.capPence,
    councils,
    leadBidsInRound: 0,
    incompleteSections: [],
  };
  const strip = ({ name: _name, ...actor }: Person): Actor => actor;
  const events: Record<string, unknown>[] = [
    { type: "REQUEST_CERTIFICATION", actor: strip(officer), at: at(-15 + (n % 5)), facts: submission },
    { type: "CERTIFY", actor: strip(certifier), at: at(-10 + (n % 5)), facts: submission },
    { type: "BEGIN_ELIGIBILITY_CHECK", actor: strip(fundTeam), at: at(2) },
    { type: "MARK_ELIGIBLE", actor: strip(fundTeam), at: at(3) },
    { type: "START_ASSESSMENT", actor: strip(fundTeam), at: at(5), facts: { rules, assessorsAssigned: 2 } },
    { type: "BEGIN_MODERATION", actor: strip(fundTeam), at: at(25), facts: { rules, assessmentsSubmitted: 2, assessmentsOutstanding: 0 } },
    {
      type: "DRAW_FUNDING_LINE",
      actor: strip(fundTeam),
      at: at(35),
      facts: { aboveLine: true, rank: n + 1, moderatedScore: 82 - n * 2, unresolvedDisagreements: 0 },
    },
    {
      type: "PUBLISH_DECISION",
      actor: strip(fundTeam),
      at: londonNoonInDays(round.published).toISOString(),
      message: "Thank you for bidding. The panel's feedback on your bid is below.",
      feedback: [],
    },
  ];
  let snapshot: PersistedSnapshot = startSnapshot("bid", { bidId, roundId: round.id, leadOrganisationId: lead.id });
  const history: Prisma.TransitionHistoryCreateManyInput[] = [
    {
      recordType: "bid",
      recordId: bidId,
      fromState: "",
      toState: stateOf(snapshot),
      event: "CREATE",
      actorUserId: officer.userId,
      actorRole: officer.role,
      at: drafted,
    },
  ];
  for (const event of events) {
    const result = applyEvent("bid", snapshot, event as never);
    if (!result.ok) throw new Error(`Demo portfolio: "${demo.title}" could not take ${String(event.type)}: ${result.reason}`);
    const actor = event.actor as Actor;
    history.push({
      recordType: "bid",
      recordId: bidId,
      fromState: result.from,
      toState: result.to,
      event: String(event.type),
      actorUserId: actor.userId,
      actorRole: actor.role,
      payload: payloadOf(event),
      at: new Date(String(event.at)),
    });
    snapshot = result.snapshot;
  }
  const published = londonNoonInDays(round.published);
  const projectId = randomUUID();
  const projectSnapshot = startSnapshot("project", { projectId, bidId, leadOrganisationId: lead.id, startStage: round.stage });
  const reference = await prisma.$transaction(async (tx) => {
    const bid = await tx.bid.create({
      data: await bidRow(tx, {
        id: bidId,
        roundId: round.id,
        leadOrganisationId: lead.id,
        partnerIds: demo.partners.map((code) => org.get(code)!.id),
        officer,
        title: demo.title,
        amountRequestedPence: demo.awardPence,
        answers: answersFor(demo),
        drafted,
        snapshot,
        version: events.length,
      }),
      select: { reference: true },
    });
    await tx.transitionHistory.createMany({ data: history });
    const projectReference = `P-${bid.reference}`;
    await tx.project.create({
      data: {
        id: projectId,
        bidId,
        leadOrganisationId: lead.id,
        title: demo.title,
        reference: projectReference,
        awardPence: demo.awardPence,
        summary: demo.summary,
        serviceArea: demo.serviceArea,
        state: stateOf(projectSnapshot),
        snapshot: projectSnapshot as unknown as Prisma.InputJsonValue,
        machineVersion: workflows.project.version,
        createdAt: published,
        tranches: { create: [{ stage: round.stage, amountPence: demo.awardPence, reason: "Award on funding", createdAt: published }] },
      },
    });
    await recordCreation(tx, "project", { id: projectId, title: demo.title, reference: projectReference, snapshot: projectSnapshot }, fundTeam, published);
    return projectReference;
  });
  return { id: projectId, reference };
}

/**
 * Each stage's measurements, spend and evaluation, then its gate: the project's machine takes
 * every step (requests, reviews, votes, conditions met, lessons) in memory with the time it
 * happened, and the history written is exactly those steps, so its state, version, history
 * and timeline agree. No emails go out for steps taken years ago.
 */
async function deliver(
  prisma: PrismaClient,
  demo: DemoPortfolioProject,
  projectId: string,
  reference: string,
  round: { stage: Stage; published: number },
  people: { officer: Person; fundTeam: Person; approver: Person; org: Map<string, { id: string }> },
) {
  const { officer, fundTeam, approver } = people;
  const rules = defaultFundRules;
  const stored = await prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { snapshot: true, version: true } });
  let snapshot = stored.snapshot as unknown as PersistedSnapshot;
  const history: Prisma.TransitionHistoryCreateManyInput[] = [];
  const tranches: Prisma.ProjectTrancheCreateManyInput[] = [];
  const actuals: Prisma.MetricActualCreateManyInput[] = [];
  const spendReports: Prisma.SpendReportCreateManyInput[] = [];
  const evaluations: Prisma.ProjectEvaluationCreateManyInput[] = [];
  const act = (who: Person, day: number, event: Record<string, unknown>) => {
    const { name: _name, ...actor } = who;
    const full = { ...event, actor, at: londonNoonInDays(day).toISOString() };
    const result = applyEvent("project", snapshot, full as never);
    if (!result.ok) throw new Error(`Demo portfolio: "${demo.title}" could not take ${String(event.type)}: ${result.reason}`);
    const reason = typeof event.reason === "string" ? event.reason.trim() || null : null;
    history.push({
      recordType: "project",
      recordId: projectId,
      fromState: result.from,
      toState: result.to,
      event: String(event.type),
      actorUserId: actor.userId,
      actorRole: actor.role,
      reason,
      payload: payloadOf(full),
      at: londonNoonInDays(day),
    });
    snapshot = result.snapshot;
    return result;
  };

  const metrics = demo.metrics.map((spec) => ({ spec, id: randomUUID() }));
  let stage: Stage = round.stage;
  let released = demo.awardPence;
  let spent = 0;
  let start = round.published;
  const measured = new Map<Stage, number>();
  // Measurements and spend for the stage since `start`, up to a gate (or to now); returns
  // the evidence the gate request carries, as the gate page works it out.
  const record = (until: number) => {
    const taken = measured.get(stage) ?? 0;
    for (const { spec, id } of metrics) {
      const todo = (spec.actuals[stage] ?? []).slice(taken);
      todo.forEach((value, i) =>
        actuals.push({
          metricId: id,
          value,
          stage,
          recordedOn: londonNoonInDays(start + Math.round(((i + 1) * (until - start)) / (todo.length + 1))),
          note: i === todo.length - 1 ? `Measured across the partners in the ${stage} stage.` : "",
        }),
      );
    }
    measured.set(stage, Math.max(taken, ...metrics.map(({ spec }) => (spec.actuals[stage] ?? []).length)));
    spent = Math.min(released, spent + pounds((released - spent) * 0.9));
    spendReports.push({
      projectId,
      stage,
      amountPence: spent,
      periodEnd: londonNoonInDays(until - 7),
      note: "Staff time and the development partner's invoices to the end of the period.",
      reportedById: officer.userId,
    });
    if (!evaluations.some((e) => e.stage === stage)) {
      evaluations.push({ projectId, stage, text: `${stageLabels[stage]} stage: measured against the baseline in every partner council. ${demo.summary}` });
    }
    const keys = ["evaluationSummary", "spendToDate"];
    if (actuals.some((a) => a.stage === stage)) keys.push("metricsAgainstBaseline");
    return keys.sort();
  };
  const meetConditions = (day: number) => {
    for (const condition of contextOf("project", snapshot).conditions.filter((c) => c.met === null)) {
      act(fundTeam, day, { type: "RECORD_CONDITION_MET", conditionId: condition.id, note: "Seen by the fund team: done, and published." });
    }
  };

  const gap = 150;
  let stopped = false;
  for (const gate of demo.gates) {
    const requestDay = start + gap;
    const evidenceKeys = record(requestDay);
    meetConditions(requestDay - 20);
    const next = gate.nextTranchePence ?? 0;
    act(officer, requestDay, { type: "REQUEST_GATE_REVIEW", facts: { rules, cumulativeFundingPence: released + next, evidenceKeys } });
    act(fundTeam, requestDay + 3, { type: "OPEN_REVIEW" });
    const voteDay = requestDay + 12;
    const conditions = (gate.conditions ?? []).map((text) => ({ text, dueDate: addDays(londonToday(), voteDay + 60) }));
    const voted = act(approver, voteDay, {
      type: "VOTE",
      outcome: gate.outcome,
      reason: gate.reason,
      ...(gate.outcome === "conditionalGo" ? { conditions } : {}),
    });
    const to = stageOfState(voted.to);
    if (to && to !== stage) {
      // As the gate page does: a go releases the tranche asked for with the request.
      if (next > 0) {
        tranches.push({
          projectId,
          stage: to,
          amountPence: next,
          reason: `Released at the ${stageLabels[stage].toLowerCase()} gate (${gate.outcome === "conditionalGo" ? "conditional go" : "go"})`,
          createdAt: londonNoonInDays(voteDay),
        });
        released += next;
      }
      stage = to;
    }
    start = voteDay;
    if (voted.to === "stopped") {
      stopped = true;
      if (demo.lessons) act(officer, voteDay + 30, { type: "RECORD_LESSONS", lessons: demo.lessons });
    }
  }
  const state = stateOf(snapshot);
  if (!["completed", "stopped", "closed"].includes(state)) {
    meetConditions(Math.min(-1, start + 40));
    // Still delivering: the measurements so far, and the gate under way if there is one.
    const today = Math.min(0, start + gap);
    const evidenceKeys = record(today);
    if (demo.pending) {
      act(officer, today - 6, { type: "REQUEST_GATE_REVIEW", facts: { rules, cumulativeFundingPence: released, evidenceKeys } });
      if (demo.pending === "inReview") act(fundTeam, today - 3, { type: "OPEN_REVIEW" });
    }
  }

  const adoptions = (demo.adoptions ?? []).map((adoption, i) => ({
    projectId,
    organisationId: people.org.get(adoption.code)!.id,
    status: adoption.status,
    goLiveOn: adoption.goLiveIn === undefined ? null : calendarDate(addDays(londonToday(), adoption.goLiveIn)),
    savingsPence: adoption.savingsPence ?? 0,
    note: adoption.note ?? "",
    createdAt: londonNoonInDays(start - 120 + i * 15),
  }));

  await prisma.$transaction(async (tx) => {
    await tx.metric.createMany({
      data: metrics.map(({ spec, id }) => ({
        id,
        projectId,
        name: spec.name,
        unit: spec.unit,
        baseline: spec.baseline,
        target: spec.target,
        createdAt: londonNoonInDays(round.published + 5),
      })),
    });
    await tx.metricActual.createMany({ data: actuals });
    await tx.spendReport.createMany({ data: spendReports });
    await tx.projectEvaluation.createMany({ data: evaluations });
    await tx.projectTranche.createMany({ data: tranches });
    await tx.adoption.createMany({ data: adoptions });
    await tx.transitionHistory.createMany({ data: history });
    const updated = await tx.project.updateMany({
      where: { id: projectId, version: stored.version },
      data: { state: stateOf(snapshot), snapshot: snapshot as unknown as Prisma.InputJsonValue, version: stored.version + history.length },
    });
    if (updated.count !== 1) throw new Error(`Demo portfolio: "${demo.title}" changed while it was being made.`);
  });
  // A stop drafts its lessons case study for the fund team, as a stop at the gate page does.
  if (stopped) await database().sqlTransaction((sql) => draftLessonsFromStop(sql, projectId, { to: "stopped" }));

  if (demo.caseStudy) await caseStudyFor(prisma, demo, projectId, reference, stage, start);
}

/**
 * A stop has already drafted its lessons case study (sent for review); a finished or scaling
 * project's is written by its team. Published ones went out a month after the decision.
 */
async function caseStudyFor(prisma: PrismaClient, demo: DemoPortfolioProject, projectId: string, reference: string, stage: Stage, decidedDay: number) {
  const spec = demo.caseStudy!;
  const drafted = await prisma.caseStudy.findUnique({ where: { projectId } });
  const written = Object.fromEntries(
    (["approach", "evidence", "outcome", "lessons", "reusableOutputs"] as const).flatMap((key) => (spec[key] ? [[key, spec[key]]] : [])),
  );
  const publishedAt = spec.status === "published" ? londonNoonInDays(Math.min(-1, decidedDay + 30)) : null;
  if (drafted) {
    await prisma.caseStudy.update({ where: { projectId }, data: { ...written, status: spec.status, publishedAt } });
    return;
  }
  await prisma.caseStudy.create({
    data: {
      projectId,
      slug: slugFor(demo.title, reference),
      title: demo.title,
      serviceArea: demo.serviceArea,
      problem: demo.problem,
      approach: spec.approach,
      evidence: spec.evidence,
      outcome: spec.outcome,
      lessons: spec.lessons,
      reusableOutputs: spec.reusableOutputs,
      stage,
      status: spec.status,
      publishedAt,
      createdAt: londonNoonInDays(decidedDay + 10),
    },
  });
}
