"""Émargement by keys (issue 10, point 5): half-days to sign, both signatures typed, the chain verified
after the dossier file was altered on disk, the sheet and the attestation exported and read back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from bilan_tui.domain.models import Beneficiary, Phase, Session
from bilan_tui.storage import Repository
from tests.tui.helpers import type_text, visible_text

TODAY = dt.date(2026, 11, 26)  # the tests' clock: Thursday 26/11/2026 09:30


def held_dossier(repository: Repository, start: tuple[int, int] = (9, 0), end: tuple[int, int] = (12, 0), *,
                 day: dt.date = TODAY, consultant: str = "Paul Roux") -> str:
    """Léa Martin's dossier with one session held (its end recorded) on ``day``."""
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), consultant)
    session = Session(id="s1", date=day, start_time=dt.time(*start), end_time=dt.time(*end),
                      phase=Phase.PRELIMINAIRE, objectives="Faire connaissance")
    with repository.open(dossier.id) as handle:
        handle.save_session(session)
    return dossier.id


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def home_todo(app) -> str:
    """The « À faire » cell of the home screen's first dossier (found by its heading, wherever it is)."""
    table = app.screen.query_one(DataTable)
    column = [str(column.label) for column in table.ordered_columns].index("À faire")
    return str(table.get_row_at(0)[column])


async def open_attendance(pilot) -> None:
    """Home → the dossier → Cadre du bilan (A) → Émargement (E)."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    assert pilot.app.screen.__class__.__name__ == "AttendanceScreen"


async def sign_highlighted(pilot, consultant: str = "Paul Roux", beneficiary: str = "Léa Martin") -> None:
    await pilot.press("s")
    await pilot.pause()
    await type_text(pilot, consultant)
    await pilot.press("enter")
    await pilot.pause()
    await type_text(pilot, beneficiary)
    await pilot.press("enter")
    await pilot.pause()


def error_line(pilot) -> str:
    return str(pilot.app.screen.query_one("#error", Static).content)


async def test_a_morning_session_is_signed_by_both_and_the_home_screen_no_longer_asks(make_app, repository, clock):
    held_dossier(repository)
    clock.now = dt.datetime(2026, 11, 26, 12, 5)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        assert home_todo(app) == "1 émargement manquant"
        await open_attendance(pilot)
        shown = visible_text(pilot)
        assert "1 demi-journée à signer · 0 demi-journée signée." in shown
        assert "À signer : 26/11/2026, 9:00 – 12:00, Phase préliminaire" in shown
        await pilot.press("f6")   # the beneficiary view: the same screen, nothing here is consultant-only
        await pilot.pause()
        title, _, body = visible_text(pilot).partition("\n")
        assert "VUE BÉNÉFICIAIRE" in title and body == shown.partition("\n")[2]
        await pilot.press("f6")
        await pilot.pause()

        await pilot.press("s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "SignScreen"
        assert app.screen.query_one("#beneficiary", Input).disabled  # the consultant signs first
        await type_text(pilot, "Paul Rous")
        await pilot.press("enter")
        await pilot.pause()
        assert "« Paul Rous » ne correspond pas au nom attendu (Paul Roux)" in error_line(pilot)
        assert app.screen.query_one("#consultant", Input).value == "Paul Rous"  # nothing typed is lost
        await pilot.press("backspace", "x", "enter")
        await pilot.pause()
        assert "✓ Signé par le consultant à 12:05." in visible_text(pilot)
        clock.advance(minutes=1)
        await type_text(pilot, "Marie Martin")
        await pilot.press("enter")
        await pilot.pause()
        assert "Signature du bénéficiaire : « Marie Martin » ne correspond pas" in error_line(pilot)
        assert app.screen.query_one("#beneficiary", Input).value == "Marie Martin"
        await pilot.press(*["backspace"] * len("Marie Martin"))
        await type_text(pilot, "martin lea")  # case, accents and order do not count
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "AttendanceScreen"
        assert "Émargement n° 1 (26/11/2026, matin) enregistré, signé par les deux." in notifications(app)
        shown = visible_text(pilot)
        assert "0 demi-journée à signer · 1 demi-journée signée." in shown
        assert "Consultant : Paul Roux, signé « Paul Roux » à 12:05 le 26/11/2026" in shown
        assert "Bénéficiaire : Léa Martin, signé « martin lea » à 12:06 le 26/11/2026" in shown
        row = [str(cell) for cell in app.screen.query_one(DataTable).get_row_at(0)]
        assert row == ["1", "26/11/2026", "9:00 – 12:00", "Phase préliminaire", "Paul Roux", "« Paul Roux » à 12:05",
                       "« martin lea » à 12:06"]
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
        assert home_todo(app) == ""
    with repository.open(repository.list_dossiers()[0].id, read_only=True) as handle:
        (record,) = handle.admin().attendance
        assert handle.attendance_head() == record.hash
        assert (record.start, record.end, record.phase) == (dt.time(9), dt.time(12), Phase.PRELIMINAIRE)
        assert record.consultant.full == "Paul Roux"


async def test_escape_in_the_signature_records_nothing(make_app, repository, clock):
    dossier_id = held_dossier(repository)
    clock.now = dt.datetime(2026, 11, 26, 12, 5)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_attendance(pilot)
        await pilot.press("s")
        await type_text(pilot, "Paul Roux\n")
        await pilot.press("escape")
        await pilot.pause()
        assert "1 demi-journée à signer" in visible_text(pilot)
    with repository.open(dossier_id, read_only=True) as handle:
        assert handle.admin().attendance == ()


async def test_a_session_across_13_00_gives_two_half_days_each_signed(make_app, repository, clock):
    dossier_id = held_dossier(repository, (11, 0), (15, 0))
    clock.now = dt.datetime(2026, 11, 26, 15, 10)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_attendance(pilot)
        assert "2 demi-journées à signer" in visible_text(pilot)
        rows = [[str(c) for c in app.screen.query_one(DataTable).get_row_at(i)] for i in range(2)]
        assert [row[2] for row in rows] == ["11:00 – 13:00", "13:00 – 15:00"]
        await sign_highlighted(pilot)
        assert "1 demi-journée à signer · 1 demi-journée signée." in visible_text(pilot)
        await sign_highlighted(pilot)
        assert "0 demi-journée à signer · 2 demi-journées signées." in visible_text(pilot)
    with repository.open(dossier_id, read_only=True) as handle:
        records = handle.admin().attendance
    assert [(r.index, r.half_day.label, r.start, r.end) for r in records] == [
        (0, "matin", dt.time(11), dt.time(13)), (1, "après-midi", dt.time(13), dt.time(15))]
    assert records[1].previous_hash == records[0].hash


async def test_a_past_day_an_unstarted_half_day_and_a_missing_consultant_are_refused_with_the_way_out(
        make_app, repository, clock):
    held_dossier(repository, day=TODAY - dt.timedelta(days=3))
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_attendance(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "AttendanceScreen"  # no dialog
        assert any("se donne le jour même (23/11/2026) : ce jour est passé. Faites signer la feuille d'émargement "
                   "papier (X pour l'imprimer)" in n for n in notifications(app))

    afternoon = Repository(repository.root / "apres-midi", clock=clock)
    held_dossier(afternoon, (14, 0), (17, 0))
    app = make_app()
    app.repository = afternoon
    async with app.run_test(size=(140, 40)) as pilot:  # 9:30: the afternoon has not begun
        await open_attendance(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "AttendanceScreen"
        assert "commence le 26/11/2026 à 14:00 : elle se signe ce jour-là, à partir de cette heure." in visible_text(pilot)

    nameless = Repository(repository.root / "sans-consultant", clock=clock)
    held_dossier(nameless, consultant="Roux")
    app = make_app()
    app.repository = nameless
    async with app.run_test(size=(140, 40)) as pilot:
        await open_attendance(pilot)
        assert "Le nom du consultant manque sur la fiche du dossier" in visible_text(pilot)
        assert "puis E pour modifier la fiche" in visible_text(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "AttendanceScreen"


async def test_a_read_only_window_offers_no_signature(make_app, repository, clock):
    dossier_id = held_dossier(repository)
    clock.now = dt.datetime(2026, 11, 26, 12, 5)
    holder = repository.open(dossier_id)  # another window edits the dossier
    try:
        app = make_app()
        async with app.run_test(size=(140, 40)) as pilot:
            await open_attendance(pilot)
            assert app.screen.check_action("sign", ()) is False
            await pilot.press("s")
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "AttendanceScreen"
            assert "Dossier en lecture seule" in visible_text(pilot)
    finally:
        holder.close()


def _alter(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text(encoding="utf-8"))
    (entry,) = data["administratif"].values()
    change(entry["file"]["attendance"])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


async def test_verify_says_intact_then_names_the_record_altered_or_removed_on_disk(make_app, repository, clock):
    dossier_id = held_dossier(repository, (11, 0), (15, 0))
    clock.now = dt.datetime(2026, 11, 26, 15, 10)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_attendance(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert "Feuille d'émargement intacte : aucun émargement signé pour l'instant." in visible_text(pilot)
        await sign_highlighted(pilot)
        await sign_highlighted(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert "Feuille d'émargement intacte : 2 émargements vérifiés" in visible_text(pilot)

    path = repository.dossier_path(dossier_id)
    original = path.read_text(encoding="utf-8")

    def later_end(records: list[dict[str, object]]) -> None:
        records[0]["end"] = "12:30:00"   # the morning made longer, after both signed

    _alter(path, later_end)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_attendance(pilot)
        await pilot.press("v")
        await pilot.pause()
        shown = visible_text(pilot)
        assert "⚠ La feuille d'émargement ne se vérifie plus" in shown
        assert "Émargement n° 1 (26/11/2026, matin) : modifié après sa signature (son empreinte ne correspond plus)." \
            in shown
        assert any("Feuille d'émargement modifiée : Émargement n° 1" in n for n in notifications(app))

    path.write_text(original, encoding="utf-8")
    _alter(path, lambda records: records.pop())   # the afternoon removed
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_attendance(pilot)
        await pilot.press("v")
        await pilot.pause()
        shown = visible_text(pilot)
        assert "La feuille ne finit pas sur le dernier émargement enregistré : elle s'arrête au n° 1" in shown
        # the removed afternoon is to sign again, but nothing is added to a sheet that does not verify
        assert "1 demi-journée à signer" in shown
        await pilot.press("home", "s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "AttendanceScreen"
        assert any("ne se vérifie plus : rien ne peut y être ajouté" in n for n in notifications(app))


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(path).pages).split())


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join([*(p.text for p in document.paragraphs), *cells]).split())


async def export(pilot, choice: str) -> Path:
    await pilot.press("x")
    await pilot.pause()
    await pilot.press(choice)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    shown = str(pilot.app.screen.query_one("#exported", Static).content)
    return Path(shown.split(" : ", 1)[1])


async def test_the_sheet_and_the_attestation_are_exported_and_read_back(make_app, repository, clock):
    held_dossier(repository, (11, 0), (15, 0))
    clock.now = dt.datetime(2026, 11, 26, 15, 10)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_attendance(pilot)
        await pilot.press("x", "3")   # the attestation before any signature: refused, said
        await pilot.pause()
        assert any("Attestation impossible : aucun émargement signé." in n for n in notifications(app))

        sheet = await export(pilot, "1")
        assert sheet.name.startswith("feuille-emargement-lea-martin") and sheet.suffix == ".pdf"
        text = pdf_text(sheet)
        for expected in ("Feuille d'émargement", "Bénéficiaire : Léa Martin", "Consultant : Paul Roux",
                         "jeudi 26/11/2026", "11:00 – 13:00", "13:00 – 15:00", "Réalisé, non signé",
                         "2 demi-journées réalisées non signées (4 h).", "Signature du bénéficiaire",
                         "Signature du consultant"):
            assert expected in text, expected
        from pypdf import PdfReader

        box = PdfReader(sheet).pages[0].mediabox
        assert box.width > box.height   # landscape

        await sign_highlighted(pilot)
        await sign_highlighted(pilot)
        attestation = await export(pilot, "3")
        assert attestation.name.startswith("attestation-presence-lea-martin") and attestation.suffix == ".pdf"
        text = pdf_text(attestation)
        assert "Attestation de présence" in text
        assert "Léa Martin" in text and "Paul Roux" in text
        assert "11:00 – 13:00" in text and "13:00 – 15:00" in text
        assert "4 h en 2 demi-journées" in text
        assert "Phase préliminaire" not in text and "Faire connaissance" not in text   # dates and hours only

        docx_path = await export(pilot, "4")
        assert docx_path.suffix == ".docx"
        text = docx_text(docx_path)
        assert "4 h en 2 demi-journées" in text and "Faire connaissance" not in text
        sheet = await export(pilot, "1")
        text = pdf_text(sheet)
        assert "Signé dans bilan-tui (n° 1, à 15:10)" in text and "Signé dans bilan-tui (n° 2, à 15:10)" in text
        assert "2 demi-journées signées (4 h)." in text


async def test_a_past_half_day_signed_on_paper_is_noted_and_counts_on_the_attestation(make_app, repository, clock):
    """The day passed without a signature in bilan-tui: the paper sheet was signed by hand; P notes it (after a
    confirmation), the home screen no longer asks for it, the attestation lists it marked « feuille papier »."""
    dossier_id = held_dossier(repository, day=TODAY - dt.timedelta(days=3))
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_attendance(pilot)
        assert "puis P pour noter ici que cette demi-journée est signée sur papier" in visible_text(pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("n")  # not confirmed: nothing noted
        await pilot.pause()
        assert repository.open(dossier_id, read_only=True).admin().paper_signed == ()
        await pilot.press("p")
        await pilot.pause()
        assert "est-elle signée par le bénéficiaire et par le consultant" in visible_text(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert "Feuille papier (23/11/2026, matin)" in visible_text(pilot)
        assert "0 demi-journée à signer" in visible_text(pilot)
        attestation = await export(pilot, "3")
        text = pdf_text(attestation)
        assert "matin (feuille papier)" in text and "9:00 – 12:00" in text and "3 h en 1 demi-journée" in text
        assert "pour celles marquées « feuille papier »" in text
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        assert home_todo(app) == ""
    with repository.open(dossier_id, read_only=True) as handle:
        (paper,) = handle.admin().paper_signed
        assert (paper.day, paper.start, paper.end) == (dt.date(2026, 11, 23), dt.time(9), dt.time(12))
        assert paper.noted_at == dt.datetime(2026, 11, 26, 9, 30)
