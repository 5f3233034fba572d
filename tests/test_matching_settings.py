"""[reconcile] in ardesk.toml: the matcher's settings load like the others, and mistakes are named."""
from decimal import Decimal

import pytest

from ardesk.errors import ArdeskError
from ardesk.settings import ReconcileSettings, Settings, load


def test_defaults_match_exactly_and_search_sets_of_six(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reconcile = load().reconcile
    assert reconcile == ReconcileSettings() == Settings().reconcile
    assert (reconcile.tolerance_abs_cents, reconcile.tolerance_ppm, reconcile.max_combination) == (None, None, 6)  # no limit given: nothing written off
    assert not reconcile.applies_oldest("C001")


def test_the_section_loads(tmp_path):
    path = tmp_path / "ardesk.toml"
    path.write_text("[reconcile]\ntolerance_pct = 0.5\ntolerance_abs = 25.00\napply_oldest_customers = [\"C001\"]\n"
                    "max_combination = 4\nsearch_budget = 20000\n", encoding="utf-8")
    reconcile = load(path).reconcile
    assert reconcile.tolerance_pct == Decimal("0.5") and reconcile.tolerance_ppm == 5_000
    assert reconcile.tolerance_abs_cents == 25_00
    assert reconcile.applies_oldest("C001") and not reconcile.applies_oldest("C002")
    assert (reconcile.max_combination, reconcile.search_budget) == (4, 20_000)
    assert ReconcileSettings(apply_oldest=True).applies_oldest("anyone")


def test_the_command_line_overrides_the_file():
    settings = Settings().with_overrides(reconcile={"apply_oldest": True, "max_combination": None})
    assert settings.reconcile.apply_oldest and settings.reconcile.max_combination == 6


@pytest.mark.parametrize("text, message", [
    ("[reconcile]\ntolerance = 1\n", "unknown setting 'tolerance'"),
    ("[reconcile]\ntolerance_pct = 120\n", "tolerance_pct = 120 must be a number of 0 or more and at most 100"),
    ("[reconcile]\ntolerance_abs = -1\n", "tolerance_abs = -1 must be a number of 0 or more"),
    ("[reconcile]\napply_oldest = \"yes\"\n", "apply_oldest = 'yes' must be true or false"),
    ("[reconcile]\napply_oldest_customers = \"C001\"\n", "must be a list of customer ids"),
    ("[reconcile]\nmax_combination = 9\n", "from 1 to 8"),
    ("[reconcile]\nmax_combination = true\n", "from 1 to 8"),
    ("[reconcile]\nsearch_budget = 10\n", "100 or more"),
    ("[reconcil]\nmax_combination = 6\n", r"\[reconcile\]"),
])
def test_mistakes_are_named(tmp_path, text, message):
    path = tmp_path / "ardesk.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArdeskError, match=message):
        load(path)


def test_parents_come_from_settings_and_let_a_family_pay_each_others_invoices(tmp_path):
    path = tmp_path / "ardesk.toml"
    path.write_text('[reconcile]\nparents = { C002 = "C001" }\n', encoding="utf-8")
    assert load(path).reconcile.parents == {"C002": "C001"}
    path.write_text('[reconcile]\nparents = ["C002"]\n', encoding="utf-8")
    with pytest.raises(ArdeskError, match=r"parents = \['C002'\] must map child customer IDs"):
        load(path)
