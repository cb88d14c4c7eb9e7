"""The user database: migrations once, data kept, never in the bundle."""

from __future__ import annotations

from pathlib import Path

from referral_app import paths
from referral_app.db.user import UserStore

EXPECTED = [
    "m001_initial",
    "m002_local_centers",
    "m003_referral_log",
    "m004_defer_override",
    "m005_center_checks",
    "m006_referral_numbers_unique",
    "m007_referral_snapshot",
    "m008_referral_follow_up",
    "m009_row_versions_and_client_ids",
    "m010_workstation_outbox",
    "m011_center_fax_npi",
    "m012_center_npi_index",
    "m013_referral_away_number",
    "m014_published_content",
    "m015_center_position_index",
    "m016_referral_orders",
    "m017_check_results",
    "m018_referral_outcomes",
    "m019_center_profile_index",
    "m020_center_verified_index",
]


def test_migrations_apply_once_and_data_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "user.db"
    store = UserStore.open(path)
    assert store.applied_migrations() == EXPECTED
    store.set_setting("practice_name", "Springfield Family Practice")
    store.add_recent("neck-pain")
    store.close()
    again = UserStore.open(path)
    assert again.applied_migrations() == EXPECTED
    assert again.get_setting("practice_name") == "Springfield Family Practice"
    assert again.recent() == ["neck-pain"]


def test_recent_list_is_capped(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "user.db")
    for i in range(15):
        store.add_recent(f"c{i}")
    assert len(store.recent()) == 10 and store.recent()[0] == "c14"


def test_data_dir_override_order(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "env"))
    assert paths.user_data_dir() == tmp_path / "env"
    paths.set_data_dir_override(tmp_path / "flag")
    try:
        assert paths.user_data_dir() == tmp_path / "flag"
    finally:
        paths.set_data_dir_override(None)
    assert paths.user_db().parent == tmp_path / "env"


def test_runtime_paths_exist() -> None:
    assert paths.data_source_dir().is_dir()
    assert paths.resource().is_dir()
