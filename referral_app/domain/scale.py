"""The fixed vocabularies: evidence scale, recommendation levels, categories."""

from __future__ import annotations

EVIDENCE_LEVELS: tuple[str, ...] = ("moderate", "low", "very_low", "no_effect")
DIRECTIONS: tuple[str, ...] = ("benefit", "mixed", "no_specific_effect", "unclear")
DURABILITY_TERMS: tuple[str, ...] = ("immediate", "short", "medium", "long", "unknown")
# Clinician-facing notes in guidance.toml, each shown for the conditions it lists, in this order.
NOTE_KEYS: tuple[str, ...] = ("safety_and_training", "cancer_spread")
RECOMMENDATION_LEVELS: tuple[str, ...] = (
    "recommend",
    "consider",
    "insufficient",
    "not_recommended",
    "not_advised",
    "defer",
)
# What a condition record may say guidelines advise about massage for its purpose (``advice``):
# "avoid" means published guidelines advise against massage for it (level ``not_advised``).
ADVICE_KINDS: tuple[str, ...] = ("avoid",)
FLAG_KINDS: tuple[str, ...] = ("defer", "caution")
CITATION_STATUSES: tuple[str, ...] = ("seen", "partly_seen", "unverified", "internal")
LANGUAGES: tuple[str, ...] = ("en", "es")
# Who gave the massage in the studies (a condition's ``delivery``): only ``therapist`` is a referral
# to a massage therapist (center picker, therapist sheet); the others print instructions.
DELIVERIES: dict[str, str] = {
    "therapist": "A massage therapist (referral)",
    "self_or_parent": "The patient, or a parent or partner, after teaching (self-care)",
    "hospital_staff": "Trained hospital staff (ward or neonatal unit)",
}

# Body systems used to group the browse list, in display order.
CATEGORIES: dict[str, str] = {
    "musculoskeletal": "Muscles, bones and joints",
    "neurological": "Nervous system and headache",
    "oncology_palliative": "Cancer and palliative care",
    "perioperative": "Surgery and recovery",
    "mental_health": "Mental health and sleep",
    "cardiovascular": "Heart and blood pressure",
    "digestive": "Digestive system",
    "pregnancy": "Pregnancy and birth",
    "pediatric": "Infants and children",
    "skin": "Skin and scars",
    "systemic": "Other and whole-body conditions",
}

DURABILITY_LABELS: dict[str, str] = {
    "immediate": "Immediate only (hours to days)",
    "short": "Short-term (weeks to a few months)",
    "medium": "Medium-term (about 6 months)",
    "long": "Long-term (a year or more)",
    "unknown": "Unknown",
}

# Controlled vocabulary of what a center offers (data/centers.csv "services").
SERVICES: dict[str, str] = {
    "therapeutic_massage": "Therapeutic massage",
    "medical_massage": "Medical massage",
    "oncology_massage": "Oncology massage",
    "prenatal": "Prenatal massage",
    "pediatric": "Pediatric massage",
    "infant": "Infant massage",
    "manual_lymphatic_drainage": "Manual lymphatic drainage",
    "inpatient": "Inpatient (bedside) massage",
    "chair_massage": "Chair massage",
    "myofascial": "Myofascial / trigger-point work",
    "acupuncture": "Acupuncture",
    "acupressure": "Acupressure",
    "reflexology": "Reflexology",
    "reiki": "Reiki",
}
MASSAGE_SERVICES: frozenset[str] = frozenset(
    {
        "therapeutic_massage",
        "medical_massage",
        "oncology_massage",
        "prenatal",
        "pediatric",
        "infant",
        "manual_lymphatic_drainage",
        "inpatient",
        "chair_massage",
        "myofascial",
    }
)
POPULATIONS: dict[str, str] = {
    "adults": "Adults",
    "children": "Children",
    "pregnancy": "Pregnancy",
    "cancer": "Cancer",
    "surgery": "Surgery",
    "cardiac": "Cardiac",
    "veterans": "Veterans",
    "older_adults": "Older adults",
    "palliative": "Palliative care",
    "low_income": "Low-income patients",
    "chronic_pain": "Chronic pain",
    "own_patients_only": "Own patients only",
}
CENTER_STATUSES: tuple[str, ...] = (
    "active",
    "research_only",
    "closed",
    "inpatient_only",
    "unknown",
    "no_massage",
    "unconfirmed",
)
# Centers with these statuses are never offered as referral destinations. "unconfirmed": held back
# until someone confirms the center still offers massage (status_note says why and since when).
EXCLUDED_STATUSES: frozenset[str] = frozenset(
    {"research_only", "closed", "inpatient_only", "no_massage", "unconfirmed"}
)

# Source grading systems named in levels.toml "maps_from" tables, with display names.
GRADING_SYSTEMS: dict[str, str] = {
    "grade": "GRADE",
    "ahrq_soe": "AHRQ strength of evidence",
    "acp": "ACP",
    "sio_asco": "SIO/ASCO",
    "sio_2014": "SIO 2014",
    "va_map": "VA evidence map",
    "cochrane": "Cochrane",
}

CLAIM_VERDICTS: dict[str, str] = {
    "supported": "Supported",
    "partly_supported": "Partly supported",
    "overstated": "Overstated",
    "not_supported": "Not supported",
    "misattributed": "Misattributed",
}
GUIDANCE_SINGLE: tuple[str, ...] = ("visit", "find_therapist", "cost", "read_more", "licensing")
GUIDANCE_LISTS: tuple[str, ...] = ("tell_therapist", "stop_and_call")
