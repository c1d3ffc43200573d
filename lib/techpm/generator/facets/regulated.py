"""Regulated data: what PCI, HIPAA, COPPA, FERPA, GDPR and similar regimes change in the design."""

from __future__ import annotations

from techpm.generator.facets.base import Ctx, Facet
from techpm.generator.figures import num

# What each regime asks of the design, in the project's words (a summary, not legal advice).
OBLIGATIONS = {
    "PCI": ("card numbers never reach the model, the transcripts or the logs: detect and mask them as they "
            "arrive, and take payments through a certified processor or keypad entry, which keeps most of the "
            "system out of PCI DSS scope [[pci_dss]]"),
    "HIPAA": ("protected health information only with vendors under a business associate agreement, minimum "
              "necessary access, audit logs, and encryption in transit and at rest [[hipaa]]"),
    "COPPA": ("verifiable parental consent before collecting personal information from children under 13, "
              "data minimisation, and no use of their data for advertising or training without consent [[coppa]]"),
    "FERPA": ("student education records disclosed only to school officials with a legitimate educational "
              "interest, under the school's direct control, and not reused for other purposes [[ferpa]]"),
    "GDPR": ("a lawful basis for each use, data minimisation, residency in the EU where promised, and the "
             "rights of access and erasure, which reach logs and any fine-tuning data [[gdpr]]"),
    "GLBA": "safeguards for customers' nonpublic financial information, and notice of how it is shared",
    "CCPA": "notice at collection, and the rights to know, delete and opt out of sale or sharing",
    "SOC 2": "controls over security, availability and confidentiality, audited yearly",
    "SOX": "controls and audit trails over anything that feeds financial reporting",
    "FINRA": "retention and supervision of communications with customers",
    "EU AI Act": "a risk classification of the use case, and its documentation and oversight duties",
    "attorney-client privilege": "privileged material kept out of shared indexes and vendor retention",
    "FedRAMP": "an authorized cloud boundary for government data",
    "ITAR": "export-controlled data kept on US-person-only, access-controlled infrastructure",
}


def _figures(ctx: Ctx) -> None:
    regimes = sorted(ctx.brief.regulated)
    ctx.values["regimes"] = ", ".join(regimes) if regimes else "the rules that apply"
    lines = [f"{r}: {OBLIGATIONS[r]}" for r in regimes if r in OBLIGATIONS]
    ctx.values["obligations"] = "; ".join(lines) if lines else "each regime's obligations, read with counsel"
    age = ctx.take("age")
    if age is not None:
        ctx.values["age_note"] = (f" The question's age line, {num(age.value)}, decides which accounts need a "
                                  "parent's consent before anything is stored.")
    else:
        ctx.values["age_note"] = ""


FACET = Facet(
    name="regulated",
    title="Regulated data",
    cues=((r"\bpci\b|\bhipaa\b|\bcoppa\b|\bferpa\b|\bgdpr\b|\bccpa\b|\bglba\b|\bsoc ?2\b|\bfinra\b|fedramp|\bitar\b", 4),
          (r"complian|regulat|privacy|\bphi\b|consent|data residency|retention", 2),
          (r"\bpii\b|redact|personal data|personally identifiable|anonymi[sz]", 4),
          (r"patient|medical|clinical|\bbank\b|payments?|card|children|kids|students|minors", 1)),
    boost=lambda b: 3.0 * min(2, len(b.regulated)),
    threshold=4.0,
    concept_groups=(
        ("complian", "regulat", "obligation"),
        ("audit", "audit log", "audit trail"),
        ("retention", "delete", "erasure"),
        ("redact", "mask", "minimi"),
    ),
    domain_terms=("business associate agreement", "pci dss", "parental consent", "education records",
                  "lawful basis"),
    scoping=(
        "Which regulations bind <<product>> (<<regimes>>), who is the data controller, and which of our vendors "
        "(model provider, hosting, logging) sign the agreements those rules require?",
        "Which data may the model behind <<product>> see at all, how long may its prompts, outputs and "
        "recordings be kept, and may any of it be used to improve models?",
    ),
    stages=("  [policy layer: detect + mask regulated fields before the model; retention timers; audit log of every access]",),
    components=(
        ("Data boundaries", "What the rules ask of <<product>>: <<obligations>>.<<age_note>> Regulated fields "
         "are detected and masked before any prompt is built, and the model provider of <<product>> is one "
         "that agrees in writing not to retain or train on the data."),
        ("Audit and retention", "Every access to regulated data by <<product>>, human or model, lands in an "
         "append-only audit log; recordings and transcripts expire on a timer set with counsel."),
    ),
    figures=_figures,
    risks=(("Compliance drift", "a new tool, log or vendor quietly widens what sees regulated data in "
            "<<product>>: a data-flow review gates each change, and masking is tested with planted values."),),
    api=("DELETE /v1/subjects/{id}    (erase a person's data everywhere it lives, with a confirmation)",),
    api_notes="Regulated fields are masked in every response, log and trace of <<product>> by default; "
              "unmasking needs a scoped permission and is audited.",
    metrics=(("Regulated values found unmasked in sampled logs of <<product>>", "0", "the line <<regimes>> draws"),
             ("Erasure requests completed in time", "100%", "the rights of <<users>> in the data")),
    tradeoffs=(
        ("Model hosting", "a provider that signs the agreements under <<regimes>>",
         "self-hosting when no provider can sign them, at the cost of running GPUs for <<product>>"),
        ("Data in prompts", "masked or tokenised regulated fields",
         "raw data only where a task of <<product>> truly needs it, under audit"),
    ),
    recommendation="Keep <<regimes>> data out of the model's reach by design, masking it on the way into "
                   "<<product>>, and prove it with audits rather than policy documents.",
)
