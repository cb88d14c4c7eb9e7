"""A recommendation from the store's levels: the one call the window, the sheet and CLI share."""

from __future__ import annotations

from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import Condition
from referral_app.domain.recommend import Recommendation, Screen, recommend


def make_recommendation(
    store: ReferenceStore, condition: Condition, screen: Screen
) -> Recommendation:
    levels = {lvl.id: lvl for lvl in store.recommendation_levels()}
    evidence = {lvl.id: lvl for lvl in store.evidence_levels()}
    return recommend(condition, store.flags(), screen, levels, evidence)
