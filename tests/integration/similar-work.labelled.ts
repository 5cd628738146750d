import type { PastWork } from "../support/similar-work.ts";

/**
 * A small labelled set for the similar-work ranking: past work on seven problems (three
 * items each, written as councils write, sharing the everyday words every bid uses:
 * council, residents, online, service, digital, staff), a few unrelated items, and drafts
 * whose relevant items are named. Some items carry their subject mostly in a published case
 * study or in the funded bid's answers rather than in the project's summary, as real ones do.
 */
export const labelledWork: PastWork[] = [
  // Housing repairs
  {
    key: "repairs-online",
    title: "Housing repairs reporting",
    summary: "Tenants report a repair online with photos, choose an appointment and follow it to completion.",
    serviceArea: "Housing",
    problem: "Repairs are reported by phone; a quarter of jobs need a second visit because the fault was described wrongly.",
    state: "scale_delivering",
  },
  {
    key: "repairs-damp",
    title: "Damp and mould reports from tenants",
    summary: "A digital service for council tenants to report damp, condensation and mould in their homes.",
    serviceArea: "Housing",
    approach: "Surveyors get the tenant's photos before the visit, so the repair is right first time.",
    state: "pilot_delivering",
  },
  {
    key: "repairs-triage",
    title: "Right first time responsive maintenance",
    summary: "Working with the repairs contact centre on describing faults.",
    serviceArea: "Housing",
    state: "completed",
    caseStudy: {
      status: "published",
      problem: "Tenants phoned to report repairs and the fault was often described wrongly, so operatives made a second visit.",
      lessons: "Photos from tenants cut repeat repair visits by a third.",
    },
  },
  // Adult social care front door
  {
    key: "care-front-door",
    title: "Shared adult social care front door",
    summary: "One online front door for adult social care: residents describe their needs once and are routed to advice or an assessment.",
    serviceArea: "Adult social care",
    state: "scale_delivering",
  },
  {
    key: "care-self-assessment",
    title: "Care needs self-assessment",
    summary: "Residents and carers complete a care needs assessment online before a social worker calls.",
    serviceArea: "Adult social care",
    problem: "Contacts to adult social care wait weeks for an assessment, although many need only advice.",
    state: "pilot_delivering",
  },
  {
    key: "care-carers",
    title: "Support for unpaid carers",
    summary: "Helping unpaid carers find respite and advice.",
    serviceArea: "Adult social care",
    state: "stopped",
    caseStudy: {
      status: "published",
      problem: "Carers contacted adult social care several times before reaching advice; assessments were booked when advice would have done.",
      lessons: "A front door needs the contact centre's triage rules written down first.",
    },
  },
  // Waste and bins
  {
    key: "waste-bulky",
    title: "Bulky waste collection booking",
    summary: "Residents book and pay for a bulky waste collection online and choose a collection day.",
    serviceArea: "Waste",
    state: "scale_delivering",
  },
  {
    key: "waste-missed-bins",
    title: "Missed bin reporting",
    summary: "Residents report a missed bin collection online; crews see the reports on their rounds.",
    serviceArea: "Waste",
    state: "pilot_delivering",
  },
  {
    key: "waste-garden",
    title: "Garden waste subscriptions",
    summary: "A shared subscription service for garden waste bins and collections.",
    serviceArea: "Waste",
    approach: "Residents renew their garden waste bin permit online; crews check a list rather than stickers.",
    state: "scan_delivering",
  },
  // Home to school transport
  {
    key: "transport-applications",
    title: "Home to school transport applications",
    summary: "Parents apply for home to school transport online and hear the decision sooner.",
    serviceArea: "Education",
    state: "pilot_delivering",
  },
  {
    key: "transport-send",
    title: "SEND travel assistance eligibility",
    summary: "An eligibility checker for travel assistance for children with special educational needs.",
    serviceArea: "Education",
    problem: "Parents of children with special educational needs wait for school transport decisions at the start of term.",
    state: "scale_delivering",
  },
  {
    key: "transport-routes",
    title: "Route planning for school buses",
    summary: "Planning school transport routes and passenger assistants together across councils.",
    serviceArea: "Education",
    state: "completed",
    caseStudy: {
      status: "published",
      problem: "Home to school transport costs rose as routes were planned by hand for each child.",
      lessons: "Share route data before buying software.",
    },
  },
  // Parking permits
  {
    key: "parking-permits",
    title: "Digital resident parking permits",
    summary: "Residents apply for and renew parking permits online; paper permits are replaced by number plate checks.",
    serviceArea: "Parking",
    state: "scale_delivering",
  },
  {
    key: "parking-visitors",
    title: "Visitor parking vouchers",
    summary: "Residents buy visitor parking vouchers online for their permit zone.",
    serviceArea: "Parking",
    state: "pilot_delivering",
  },
  {
    key: "parking-enforcement",
    title: "Civil enforcement officer handheld app",
    summary: "Officers check virtual parking permits and vouchers against the number plate on their handhelds.",
    serviceArea: "Parking",
    state: "scan_delivering",
  },
  // Homelessness
  {
    key: "homeless-prevention",
    title: "Homelessness prevention triage",
    summary: "People at risk of homelessness get advice early, before an eviction notice ends their tenancy.",
    serviceArea: "Housing",
    state: "pilot_delivering",
  },
  {
    key: "homeless-temporary",
    title: "Temporary accommodation placements",
    summary: "Tracking temporary accommodation placements and costs for homeless households.",
    serviceArea: "Housing",
    problem: "Homeless households stay in bed and breakfast temporary accommodation for months.",
    state: "scale_delivering",
  },
  {
    key: "homeless-duty",
    title: "Duty to refer",
    summary: "Public bodies refer people at risk of homelessness to the council through one form.",
    serviceArea: "Housing",
    state: "completed",
    caseStudy: {
      status: "published",
      problem: "Referrals of people threatened with homelessness arrived by email in many formats.",
      lessons: "Prevention starts with early referral.",
    },
  },
  // Council tax
  {
    key: "tax-discount",
    title: "Single person discount review",
    summary: "Reviewing council tax single person discounts with data matching rather than letters.",
    serviceArea: "Revenues and benefits",
    state: "pilot_delivering",
  },
  {
    key: "tax-direct-debit",
    title: "Council tax direct debit sign-up",
    summary: "Residents set up council tax direct debits and change their instalments online.",
    serviceArea: "Revenues and benefits",
    state: "scale_delivering",
  },
  {
    key: "tax-moving",
    title: "Tell us you are moving home",
    summary: "One form to tell the council about a change of address for council tax and benefits.",
    serviceArea: "Revenues and benefits",
    state: "scan_delivering",
  },
  // Unrelated work
  {
    key: "library-ebooks",
    title: "Library e-book lending",
    summary: "A shared catalogue of e-books and audiobooks for library members across the region.",
    serviceArea: "Libraries",
    state: "pilot_delivering",
  },
  {
    key: "potholes",
    title: "Pothole and highway defect reporting",
    summary: "Drivers and cyclists report potholes with a map; inspectors schedule road repairs.",
    serviceArea: "Highways",
    state: "scale_delivering",
  },
];

export interface LabelledDraft {
  name: string;
  title: string;
  summary: string;
  problem: string;
  approach: string;
  /** The items that answer this draft; the top three should be among them. */
  relevant: string[];
}

export const labelledDrafts: LabelledDraft[] = [
  {
    name: "repairs",
    title: "Tenant repair requests with photos",
    summary: "We will let council tenants report repairs online, with photos of the fault.",
    problem: "Most repairs are reported by phone and many need a second visit because the fault was described wrongly.",
    approach: "Discovery with tenants and the repairs contact centre, then a shared online repairs form.",
    relevant: ["repairs-online", "repairs-damp", "repairs-triage"],
  },
  {
    name: "adult social care",
    title: "Adult social care digital front door",
    summary: "Residents and carers describe their care needs once and get advice without waiting for an assessment.",
    problem: "Half the contacts to adult social care need advice rather than an assessment, yet wait weeks.",
    approach: "Map the contact centre's triage, then build the front door with social workers.",
    relevant: ["care-front-door", "care-self-assessment", "care-carers"],
  },
  {
    name: "waste",
    title: "Booking waste collections online",
    summary: "Residents book bulky waste and garden waste collections online and report missed bins.",
    problem: "Waste collection bookings and missed bin reports come by phone to the contact centre.",
    approach: "Reuse an existing booking service and connect it to the crews' round software.",
    relevant: ["waste-bulky", "waste-missed-bins", "waste-garden"],
  },
  {
    name: "school transport",
    title: "Faster school transport decisions",
    summary: "Parents apply for home to school transport, including travel assistance for children with special educational needs.",
    problem: "School transport decisions arrive after the start of term and routes are planned by hand.",
    approach: "An online application with an eligibility check, shared with the route planning team.",
    relevant: ["transport-applications", "transport-send", "transport-routes"],
  },
  {
    name: "parking",
    title: "Virtual parking permits",
    summary: "Residents apply for parking permits and visitor vouchers online, checked by number plate.",
    problem: "Paper parking permits are lost, copied and slow to renew.",
    approach: "Replace paper permits with virtual permits that enforcement officers check by number plate.",
    relevant: ["parking-permits", "parking-visitors", "parking-enforcement"],
  },
  {
    name: "homelessness",
    title: "Preventing homelessness earlier",
    summary: "Households at risk of homelessness are referred and advised before they need temporary accommodation.",
    problem: "Referrals come late, so families end up in bed and breakfast temporary accommodation.",
    approach: "One referral form for partners and a prevention caseworker triage.",
    relevant: ["homeless-prevention", "homeless-temporary", "homeless-duty"],
  },
  {
    name: "council tax",
    title: "Council tax account online",
    summary: "Residents manage their council tax online: direct debits, discounts and moving home.",
    problem: "Council tax changes come by letter and phone, and single person discounts are rarely reviewed.",
    approach: "Build the account on the revenues system's interface.",
    relevant: ["tax-discount", "tax-direct-debit", "tax-moving"],
  },
];

/** A draft about something no past work touches: the floor should leave the panel empty. */
export const unrelatedDraft = {
  title: "Allotment plot waiting list",
  summary: "Gardeners join the allotment waiting list and are offered a plot when one comes free.",
  problem: "The allotment waiting list is a spreadsheet kept by volunteers.",
  approach: "A small form and a list the allotment societies can see.",
};
