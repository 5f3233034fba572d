"""The local outbox (keys, durability, edits, copies) and the notes CSV (reading, writing keys back)."""
import datetime as dt
import sqlite3
import uuid

import pandas as pd
import pytest

from ardesk.erp import notes_csv, outbox
from ardesk.errors import ArdeskError
from ardesk.frames import CAPTURED_NOTES, NOTE_STATUS, NOTES

NOW = dt.datetime(2026, 11, 24, 9, 30)


TARGET = outbox.Target("driver=sqlite3;server=:;database=/erp.sqlite;company=", "DRIVER={SQLite3};Database=/erp.sqlite", "")
"""The ERP the notes of these tests are captured for."""


def typed(*texts: str, **values) -> pd.DataFrame:
    """Notes as the Notes sheet gives them (NOTES columns, no keys)."""
    return pd.DataFrame({"customer_id": "C1", "contact_type": "Call", "text": list(texts), "author": "DK",
                         "written": pd.NaT, "promise_cents": pd.NA, "source": "Workbook"} | values)


@pytest.fixture
def box(tmp_path):
    with outbox.open(tmp_path / "box.sqlite") as opened:
        yield opened


def test_capture_gives_each_note_a_key_from_its_content_and_keeps_it_on_disk(tmp_path):
    path = tmp_path / "folder" / "box.sqlite"
    with outbox.open(path) as box:
        keys = box.capture(typed("one", "two"), TARGET, now=NOW)
    assert [uuid.UUID(key).version for key in keys] == [5, 5]
    with outbox.open(tmp_path / "elsewhere.sqlite") as other:  # another process, another computer: the same keys
        assert other.capture(typed("one", "two"), TARGET, now=NOW).tolist() == keys.tolist()
    assert outbox.derived_keys(typed("one", "two")) == keys.tolist()
    twice = outbox.derived_keys(typed("same", "same"))
    assert len(set(twice)) == 2  # a note typed twice is two notes
    with outbox.open(path) as box:
        unsent = box.unsent()
        assert unsent.dtypes.to_dict() == CAPTURED_NOTES
        assert sorted(unsent["note_id"]) == sorted(keys)
        assert unsent["written"].tolist() == [pd.Timestamp(NOW)] * 2  # undated notes are dated at capture
        assert box.status(keys)["state"].tolist() == ["Queued", "Queued"]
    with sqlite3.connect(path) as conn:  # written through, not only in memory
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM note").fetchone()[0] == 2


def test_capturing_the_same_rows_again_changes_nothing(box):
    notes = typed("one", "two")
    keys = box.capture(notes, TARGET, now=NOW)
    again = box.capture(notes.assign(note_id=keys), TARGET, now=NOW + dt.timedelta(hours=1))
    assert again.tolist() == keys.tolist()
    assert len(box.unsent()) == 2
    assert box.unsent()["written"].tolist() == [pd.Timestamp(NOW)] * 2


def test_an_unpushed_note_may_be_edited_and_a_pushed_one_reports_the_edit(box):
    keys = box.capture(typed("one", "two"), TARGET, now=NOW).tolist()
    box.mark_invalid([keys[0]], ["Customer C1 is not in the ERP: check the customer ID."])
    box.mark_pushed([keys[1]], [NOW], ["EPIC06/1/7"])
    box.capture(typed("one, fixed", "two, edited").assign(note_id=keys), TARGET, now=NOW)
    status = box.status(keys)
    assert status["state"].tolist() == ["Queued", "Pushed"]
    assert status["reason"].iat[0] == ""
    assert status["reason"].iat[1] == ("Changed after it was pushed on 2026-11-24 09:30: the ERP keeps the note as "
                                       "pushed; type a new note for the change.")
    assert box.unsent()["text"].tolist() == ["one, fixed"]
    box.capture(typed("one, fixed", "two").assign(note_id=keys), TARGET, now=NOW)  # the edit undone
    assert box.status(keys)["reason"].tolist() == ["", ""]


def test_a_copied_row_keeps_its_own_content_under_a_derived_key(box):
    [key] = box.capture(typed("original"), TARGET, now=NOW)
    rows = typed("copy, edited", "original").assign(note_id=key)
    first = box.capture(rows, TARGET, now=NOW).tolist()
    assert first[1] == key and first[0] != key
    assert first[0] == str(uuid.uuid5(uuid.UUID(key), box_digest(box, first[0])))
    assert box.capture(rows.iloc[::-1], TARGET, now=NOW).tolist() == first[::-1]  # the same keys in any order
    assert sorted(box.unsent()["text"]) == ["copy, edited", "original"]
    assert box.capture(pd.concat([typed("original")] * 2).assign(note_id=key), TARGET, now=NOW).tolist() == [key, key]


def box_digest(box, key: str) -> str:
    return box._conn.execute("SELECT digest FROM note WHERE note_id = ?", (key,)).fetchone()[0]


def test_keys_are_checked_and_written_in_canonical_form(box):
    upper = str(uuid.uuid4()).upper()
    assert box.capture(typed("x").assign(note_id=upper), TARGET, now=NOW).tolist() == [upper.lower()]
    with pytest.raises(ArdeskError, match="Note 2 has the note ID 'abc', which is not a UUID: clear it"):
        box.capture(typed("x", "y").assign(note_id=["", "abc"]), TARGET, now=NOW)


def test_status_of_every_note_and_of_unknown_keys(box):
    keys = box.capture(typed("one", "two", "three"), TARGET, now=NOW).tolist()
    box.mark_pushed(keys[:1], [NOW], ["EPIC06/1/7"])
    box.mark_pushed(keys[:1], [NOW + dt.timedelta(minutes=5)], ["EPIC06/1/7"])  # recorded twice: the first counts
    box.mark_invalid(keys[1:2], ["Fix it."])
    box.mark_queued(keys[2:], "Not sent yet: Cannot reach the ERP.")
    everything = box.status()
    assert everything.dtypes.to_dict() == NOTE_STATUS
    assert len(everything) == 3
    status = box.status([keys[2], "not-a-key", keys[0], keys[1]])
    assert status["state"].tolist() == ["Queued", "Queued", "Pushed", "Invalid"]
    assert status["reason"].tolist() == ["Not sent yet: Cannot reach the ERP.",
                                         "Not captured yet: push again to capture and send it.", "", "Fix it."]
    assert status["pushed"].iat[2] == pd.Timestamp(NOW) and status["erp_key"].iat[2] == "EPIC06/1/7"
    assert box.queued(TARGET.erp)["note_id"].tolist() == keys[2:]  # the Invalid note waits for an edit or a retry
    assert box.queued("another ERP").empty


def test_an_outbox_from_a_newer_ardesk_is_refused(tmp_path):
    path = tmp_path / "box.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(ArdeskError, match="was written by a newer ardesk"):
        outbox.open(path)


def test_outbox_paths():
    assert outbox.beside("/data/Aging 2026.xlsx").as_posix() == "/data/Aging 2026.ardesk-outbox.sqlite"
    assert outbox.default_path().name == "outbox.sqlite"


# --- the notes CSV ------------------------------------------------------------------------------------------

CSV = ('\ufeffCustomer ID,Invoice,Contact Type,Contact Person,Outcome,Promise Amount,Promise Date,Dispute Reason,'
       'Dispute Amount,Follow-up,Text,Author,Extra\r\n'
       'C1,"1001, 1002",call,Maria,PROMISED,1234.505,2026-12-01,,,2026-12-02,"She said ""yes""\r\n'
       'and hung up",DK,keep me\r\n'
       ',,,,,,,,,,,,\r\n'
       '\r\n'
       'C2,,email,,disputed,,,pricing,-12,,x,DK,\r\n')


def test_a_notes_csv_reads_as_captured_notes(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(CSV, encoding="utf-8", newline="")
    notes = notes_csv.read(path)
    assert notes.dtypes.to_dict() == CAPTURED_NOTES
    first, second = notes.iloc[0], notes.iloc[1]
    assert (first["note_id"], first["doc_no"], first["contact_type"], first["outcome"]) == (
        "", "1001, 1002", "Call", "Promised")
    assert (first["promise_cents"], first["promise_date"], first["follow_up"]) == (
        123451, pd.Timestamp("2026-12-01"), pd.Timestamp("2026-12-02"))
    assert first["text"] == 'She said "yes"\r\nand hung up'
    assert (second["dispute_reason"], second["dispute_cents"], second["source"]) == ("Pricing", -1200, "CSV")
    assert pd.isna(second["written"]) and pd.isna(second["promise_cents"])


def test_keys_are_written_back_into_the_csv_cell_by_cell(tmp_path, box):
    path = tmp_path / "notes.csv"
    path.write_text(CSV, encoding="utf-8", newline="")
    notes = notes_csv.read(path)
    keys = box.capture(notes, TARGET, now=NOW)
    assert notes_csv.write_keys(path, keys)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfnote_id,Customer ID,")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[1] == (f'{keys[0]},C1,"1001, 1002",call,Maria,PROMISED,1234.505,2026-12-01,,,2026-12-02,'
                        '"She said ""yes""')
    assert lines[3:5] == [",,,,,,,,,,,,", ""]  # empty rows stay as they were
    again = notes_csv.read(path)
    assert again["note_id"].tolist() == keys.tolist()
    assert box.capture(again, TARGET, now=NOW).tolist() == keys.tolist()
    assert not notes_csv.write_keys(path, keys)  # nothing to change: the file is not rewritten
    pd.testing.assert_frame_equal(again.drop(columns="note_id"), notes.drop(columns="note_id"))


def test_keys_go_into_an_existing_note_id_column(tmp_path):
    path = tmp_path / "notes.csv"
    key = str(uuid.uuid4())
    path.write_text(f"text,note_id,customer_id,contact_type\nhello,{key},C1,Call\nworld,,C1,Call\n", encoding="utf-8")
    new = str(uuid.uuid4())
    assert notes_csv.write_keys(path, [key, new])
    assert path.read_text(encoding="utf-8") == f"text,note_id,customer_id,contact_type\nhello,{key},C1,Call\n" \
                                               f"world,{new},C1,Call\n"


@pytest.mark.parametrize("content, sentence", [
    ("customer_id,text\nC1,x\n", "lacks the column contact_type: its header must name at least customer_id, "
                                 "contact_type, text"),
    ("customer_id,contact_type,text,text\nC1,Call,x,y\n", "has the column text twice (columns 3 and 4): keep one"),
    ("customer_id,contact_type,text,promise_amount\nC1,Call,x,\"1,234.50\"\n",
     "line 2, column promise_amount: '1,234.50' is not an amount: write it with a dot for decimals"),
    ("customer_id,contact_type,text,follow_up\nC1,Call,x,2026-02-30\n",
     "line 2, column follow_up: '2026-02-30' is not a date: write it as YYYY-MM-DD"),
    ("customer_id,contact_type,text\n\nC1,Call,\"x\ny\"\nC1,Call,x,\"\n",
     "line 5 cannot be read as CSV"),
    ("customer_id,contact_type,text,note_id\nC1,Call,x,not-a-key\n",
     "line 2, column note_id: 'not-a-key' is not a note ID"),
    ("", "is empty: put a header row first"),
])
def test_a_bad_notes_csv_is_refused_in_one_sentence_naming_where(tmp_path, content, sentence):
    path = tmp_path / "notes.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ArdeskError, match=sentence.replace("(", r"\(").replace(")", r"\)")):
        notes_csv.read(path)


def test_a_missing_or_non_utf8_csv_is_refused(tmp_path):
    with pytest.raises(ArdeskError, match="does not exist"):
        notes_csv.read(tmp_path / "nope.csv")
    path = tmp_path / "latin.csv"
    path.write_bytes("customer_id,contact_type,text\nC1,Call,caf\xe9\n".encode("latin-1"))
    with pytest.raises(ArdeskError, match='is not UTF-8 text: save it as "CSV UTF-8"'):
        notes_csv.read(path)


def test_the_notes_frame_contract_is_unchanged():
    assert "note_id" not in NOTES and list(CAPTURED_NOTES)[1:] == list(NOTES)
