"""ardesk.toml: documented keys load, mistakes are named, and no secret is kept."""
import pytest

from ardesk.errors import ArdeskError
from ardesk.settings import Settings, load


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load()
    assert settings == Settings()
    assert settings.aging.thresholds == (30, 60, 90, 120) and settings.erp.profile == "epicor"


def test_a_full_file_loads(tmp_path):
    path = tmp_path / "ardesk.toml"
    path.write_text(
        'base_currency = "EUR"\n'
        '[erp]\nprofile = "epicor"\nconnect = "DSN=epicor;UID=ar_reader"\ncompany = "EPIC06"\n'
        'password_env = "EPICOR_PW"\nconnect_timeout = 5\nquery_timeout = 60\n'
        "[aging]\nthresholds = [5, 10, 15]\nbasis = \"doc\"\n",
        encoding="utf-8",
    )
    settings = load(path)
    assert settings.base_currency == "EUR"
    assert settings.erp.connect == "DSN=epicor;UID=ar_reader" and settings.erp.password_env == "EPICOR_PW"
    assert settings.aging.thresholds == (5, 10, 15) and settings.aging.basis == "doc"


@pytest.mark.parametrize(
    "text, message",
    [
        ("[erp]\nconection = 'x'\n", "unknown setting 'conection'"),
        ("[agin]\nbasis = 'due'\n", "unknown section"),
        ("[aging]\nthresholds = [60, 30]\n", "rising whole days"),
        ("[aging]\nbasis = 'invoice'\n", "Aging basis 'invoice' is unknown"),
        ("[erp\n", "not valid TOML"),
    ],
)
def test_mistakes_are_named(tmp_path, text, message):
    path = tmp_path / "ardesk.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArdeskError, match=message):
        load(path)


def test_a_missing_named_file_is_an_error(tmp_path):
    with pytest.raises(ArdeskError, match="does not exist"):
        load(tmp_path / "nope.toml")


def test_a_relative_source_is_found_beside_the_settings_file(tmp_path, monkeypatch):
    """A scheduled refresh starts in another folder: the export file is the one beside ardesk.toml."""
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "ardesk.toml").write_text('source = "exports/items.csv"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load(folder / "ardesk.toml").source == str(folder / "exports" / "items.csv")
