"""The synthesis record: rewrites and their review, joint validation into frozen versions, consents."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from bilan_tui.domain.portfolio import SourceRef
from bilan_tui.domain.synthesis.model import (
    Passage,
    PassageStyle,
    Profile,
    Section,
    SectionKey,
    Synthesis,
    Table,
    content_hash,
)
from bilan_tui.domain.synthesis.record import (
    FrozenVersion,
    SectionState,
    SynthesisError,
    SynthesisRecord,
)

NOW = dt.datetime(2026, 11, 26, 9, 30)
LATER = dt.datetime(2026, 12, 3, 14, 0)

PILOT = SourceRef(module="confrontation", step_id="metier", element="p1", digest="aaa")
STRENGTH = SourceRef(module="parcours", step_id="reussites", digest="bbb")


def section(key: SectionKey, *passages: Passage, table: Table | None = None) -> Section:
    return Section(key=key, title=key.heading, passages=passages, table=table)


def draft(competences_digest: str = "bbb", plan_text: str = "S'inscrire à la formation de technicien.") -> Synthesis:
    """A hand-made draft: two sections with sources, a table, a profile, the rest not covered."""
    strength = SourceRef(module="parcours", step_id="reussites", digest=competences_digest)
    sections = {
        SectionKey.COMPETENCES: section(
            SectionKey.COMPETENCES,
            Passage(text="Soudure à l'arc, niveau expert.", answers=(strength,), items=("it1",)),
            Passage(text="J'aime que le travail soit bien fait.", style=PassageStyle.QUOTE, answers=(PILOT,)),
        ),
        SectionKey.PLAN: section(
            SectionKey.PLAN,
            Passage(text=plan_text, answers=(PILOT,), sessions=("s1",)),
            table=Table(headers=("Étape", "Échéance"), rows=(("Inscription", "15/01/2027"),)),
        ),
    }
    return Synthesis(
        beneficiary="Léa Martin",
        consultant="Paul Durand",
        drafted_on=NOW.date(),
        sections=tuple(sections.get(key, section(key)) for key in SectionKey),
        profiles=(Profile(title="Intérêts (RIASEC)", caveat="Un repère, pas un verdict.", code="RIS"),),
    )


def validate(record: SynthesisRecord, synthesis: Synthesis, *, consultant: str = "Paul Durand",
             beneficiary: str = "Léa Martin", now: dt.datetime = NOW) -> tuple[SynthesisRecord, FrozenVersion]:
    return record.validate(synthesis, consultant=consultant, beneficiary=beneficiary,
                           expected_consultant="Paul Durand", expected_beneficiary="Léa Martin", now=now)


def rewritten(text: str = "Léa soude à l'arc depuis quinze ans.\nElle forme les apprentis.") -> SynthesisRecord:
    return SynthesisRecord().with_rewrite(draft().section(SectionKey.COMPETENCES), text, now=NOW)


# -- rewrites ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "\u2800", "\x1b\x07 "])
def test_an_empty_rewrite_is_refused_with_a_french_message(text: str):
    with pytest.raises(SynthesisError, match="La réécriture de « Compétences et aptitudes » est vide"):
        SynthesisRecord().with_rewrite(draft().section(SectionKey.COMPETENCES), text, now=NOW)


def test_a_rewrite_that_changes_nothing_is_refused():
    generated = draft().section(SectionKey.PLAN)
    with pytest.raises(SynthesisError, match="n'a pas été modifié"):
        SynthesisRecord().with_rewrite(generated, "S'inscrire à la formation de technicien.  \n", now=NOW)


def test_a_rewrite_is_cleaned_and_keeps_the_generated_section_beside_it():
    record = rewritten("  Léa soude \x1b\x07à l'arc.   \r\n\r\nElle forme les apprentis.\n\n")
    rewrite = record.rewrite_of(SectionKey.COMPETENCES)
    assert rewrite is not None
    assert rewrite.text == "Léa soude à l'arc.\n\nElle forme les apprentis."
    assert rewrite.generated == draft().section(SectionKey.COMPETENCES)
    assert record.rewrite_of(SectionKey.PLAN) is None


def test_state_is_to_review_exactly_when_the_generated_section_changes():
    record = rewritten()
    assert record.state(draft().section(SectionKey.COMPETENCES)) is SectionState.REWRITTEN
    assert record.state(draft().section(SectionKey.PLAN)) is SectionState.GENERATED
    # another answer changed (the plan's): the rewritten section is untouched
    assert record.state(draft(plan_text="Autre étape.").section(SectionKey.COMPETENCES)) is SectionState.REWRITTEN
    # an answer it cites changed (its digest), though its text did not
    changed = draft(competences_digest="ccc")
    assert record.state(changed.section(SectionKey.COMPETENCES)) is SectionState.TO_REVIEW
    assert record.to_review(changed) == [SectionKey.COMPETENCES]
    assert record.to_review(draft()) == []
    assert SectionState.TO_REVIEW.label == "⚠ à revoir"


def test_keeping_a_rewrite_stands_it_against_the_new_draft_without_touching_its_text():
    changed = draft(competences_digest="ccc")
    record = rewritten().keep_rewrite(changed.section(SectionKey.COMPETENCES), now=LATER)
    assert record.state(changed.section(SectionKey.COMPETENCES)) is SectionState.REWRITTEN
    rewrite = record.rewrite_of(SectionKey.COMPETENCES)
    assert rewrite is not None and rewrite.text.startswith("Léa soude") and rewrite.reviewed_at == LATER


def test_going_back_to_the_generated_text_drops_the_rewrite():
    record = rewritten().without_rewrite(SectionKey.COMPETENCES)
    assert record.rewrite_of(SectionKey.COMPETENCES) is None
    assert record.final(draft()) == draft()
    with pytest.raises(SynthesisError, match="n'a pas été réécrit"):
        record.without_rewrite(SectionKey.COMPETENCES)


def test_final_applies_rewrites_one_paragraph_per_line_with_all_the_sources():
    final = rewritten("Léa soude à l'arc depuis quinze ans.\n\n  Elle forme les apprentis.").final(draft())
    competences = final.section(SectionKey.COMPETENCES)
    assert competences.rewritten
    assert [p.text for p in competences.passages] == ["Léa soude à l'arc depuis quinze ans.",
                                                      "Elle forme les apprentis."]
    for passage in competences.passages:
        assert passage.style is PassageStyle.PARAGRAPH
        assert passage.answers == (STRENGTH, PILOT)
        assert passage.items == ("it1",)
    assert final.section(SectionKey.PLAN) == draft().section(SectionKey.PLAN)
    assert not final.section(SectionKey.PLAN).rewritten


def test_a_rewritten_section_with_a_table_keeps_the_table():
    generated = draft().section(SectionKey.PLAN)
    record = SynthesisRecord().with_rewrite(generated, "Commencer par la formation.", now=NOW)
    plan = record.final(draft()).section(SectionKey.PLAN)
    assert [p.text for p in plan.passages] == ["Commencer par la formation."]
    assert plan.table == generated.table


# -- joint validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(("consultant", "beneficiary"), [
    ("Paul Durand", "Léa Martin"),
    ("paul durand", "LEA MARTIN"),
    ("PAUL-DURAND", "Martin Léa"),
    ("  Paul   Durand ", "martin-lea"),
])
def test_names_match_whatever_the_case_accents_spaces_hyphens_and_order(consultant: str, beneficiary: str):
    record, frozen = validate(SynthesisRecord(), draft(), consultant=consultant, beneficiary=beneficiary)
    assert frozen.number == 1
    assert (frozen.consultant_name, frozen.beneficiary_name) == ("Paul Durand", "Léa Martin")
    assert record.latest == frozen


@pytest.mark.parametrize(("consultant", "beneficiary", "message"), [
    ("Paul Durand", "Léa Marti", "Le nom tapé par le bénéficiaire (« Léa Marti ») ne correspond pas"),
    ("Paul Durand", "Léa", "Le nom tapé par le bénéficiaire"),
    ("Pierre Durand", "Léa Martin", "Le nom tapé par le consultant (« Pierre Durand ») ne correspond pas"),
    ("", "Léa Martin", "Le consultant doit taper son nom"),
    ("Paul Durand", "   ", "Le bénéficiaire doit taper son nom"),
])
def test_a_name_that_does_not_match_is_refused_with_a_message(consultant: str, beneficiary: str, message: str):
    record = rewritten()
    with pytest.raises(SynthesisError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate(record, draft(), consultant=consultant, beneficiary=beneficiary)
    assert record.versions == ()


def test_without_a_consultant_on_the_dossier_any_typed_name_is_accepted():
    _, frozen = SynthesisRecord().validate(draft(), consultant="Nadia Amrani", beneficiary="Léa Martin",
                                           expected_consultant="", expected_beneficiary="Léa Martin", now=NOW)
    assert frozen.consultant_name == "Nadia Amrani"


def test_validation_is_refused_while_a_section_is_to_review():
    changed = draft(competences_digest="ccc")
    with pytest.raises(SynthesisError, match=r"1 section à revoir \(« Compétences et aptitudes »\)"):
        validate(rewritten(), changed)
    record = rewritten().keep_rewrite(changed.section(SectionKey.COMPETENCES), now=LATER)
    _, frozen = validate(record, changed)
    assert frozen.synthesis.section(SectionKey.COMPETENCES).passages[0].text == "Léa soude à l'arc depuis quinze ans."


def test_a_frozen_version_carries_the_final_content_and_its_hash():
    record, frozen = validate(rewritten(), draft())
    assert frozen.synthesis == rewritten().final(draft())
    assert frozen.sha256 == content_hash(frozen.synthesis)
    assert len(frozen.sha256) == 64
    assert frozen.frozen_at == NOW


def test_a_frozen_version_cannot_change():
    record, frozen = validate(rewritten(), draft())
    with pytest.raises(ValidationError):  # the model is frozen
        frozen.sha256 = "0" * 64  # type: ignore[misc]
    # content and hash that disagree are refused (an altered file is caught when it is read)
    altered = frozen.model_dump(mode="json")
    altered["synthesis"]["sections"][3]["passages"][0]["text"] = "Autre chose."
    with pytest.raises(ValidationError, match="SHA-256"):
        FrozenVersion.model_validate(altered)
    # later rewrites leave the frozen version as it was
    again = record.with_rewrite(draft().section(SectionKey.COMPETENCES), "Tout autre texte.", now=LATER)
    assert again.version(1) == frozen
    assert again.version(1).synthesis.section(SectionKey.COMPETENCES).passages[0].text.startswith("Léa soude")


def test_a_field_added_later_with_a_default_changes_no_hash_nor_fingerprint():
    """A frozen version read by a later bilan-tui whose models gained a field still matches its hash;
    a rewrite is not flagged « à revoir » because the section's model grew."""

    class NewPassage(Passage):
        emphasis: str = ""

    class NewSection(Section):
        passages: tuple[NewPassage, ...] = ()

    class NewSynthesis(Synthesis):
        sections: tuple[NewSection, ...]

    record, frozen = validate(rewritten(), draft())
    read_later = NewSynthesis.model_validate(frozen.synthesis.model_dump(mode="json"))
    assert "emphasis" in read_later.model_dump()["sections"][3]["passages"][0]
    assert content_hash(read_later) == frozen.sha256
    generated_later = NewSection.model_validate(draft().section(SectionKey.COMPETENCES).model_dump(mode="json"))
    assert record.state(generated_later) is SectionState.REWRITTEN


def test_a_later_edit_makes_version_2_and_both_stay_readable():
    record, first = validate(rewritten(), draft())
    record = record.with_rewrite(draft().section(SectionKey.PLAN), "Formation de technicien en janvier.", now=LATER)
    record, second = validate(record, draft(), now=LATER)
    assert (first.number, second.number) == (1, 2)
    assert record.latest == second
    assert record.version(1) == first and record.version(2) == second
    assert first.sha256 != second.sha256
    assert record.version(1).synthesis.section(SectionKey.PLAN).passages[0].text == "S'inscrire à la formation de technicien."
    assert record.version(2).synthesis.section(SectionKey.PLAN).passages[0].text == "Formation de technicien en janvier."
    with pytest.raises(SynthesisError, match=r"La version 3 n'existe pas \(versions : 1, 2\)\."):
        record.version(3)
    with pytest.raises(SynthesisError, match=r"La version 1 n'existe pas \(aucune version validée\)"):
        SynthesisRecord().version(1)


def test_validating_content_identical_to_the_latest_version_is_refused():
    record, _ = validate(rewritten(), draft())
    with pytest.raises(SynthesisError, match="identique à la version 1"):
        validate(record, draft(), now=LATER)
    # the same content drafted another day is still the same
    other_day = draft().model_copy(update={"drafted_on": LATER.date()})
    with pytest.raises(SynthesisError, match="identique à la version 1"):
        validate(record, other_day, now=LATER)


def test_a_record_with_versions_out_of_order_is_refused():
    record, frozen = validate(rewritten(), draft())
    with pytest.raises(ValidationError):
        SynthesisRecord(versions=(frozen, frozen))


# -- consents ---------------------------------------------------------------------------------------


EMPTY = SynthesisRecord()
TODAY = NOW.date()


def consent(record: SynthesisRecord = EMPTY, *, recipient: str = "Cap emploi (Mme Roux)",
            sections: tuple[SectionKey, ...] = (SectionKey.PLAN, SectionKey.COMPETENCES),
            agreement: str = "J'accepte", given_on: dt.date = TODAY):
    return record.add_consent(recipient=recipient, sections=sections, given_on=given_on, agreement=agreement,
                              expected_beneficiary="Léa Martin", now=NOW)


def test_an_excerpt_is_refused_without_a_consent():
    with pytest.raises(SynthesisError, match="Aucun consentement n° « 1 » .*aucun consentement enregistré"):
        SynthesisRecord().excerpt("1", draft())


def test_an_excerpt_under_a_consent_holds_only_the_consented_sections():
    record, given = consent()
    assert given.id == "1"
    assert given.sections == (SectionKey.COMPETENCES, SectionKey.PLAN)  # in the order of the document
    part = record.excerpt(given.id, draft())
    assert [s.key for s in part.sections] == [SectionKey.COMPETENCES, SectionKey.PLAN]
    assert part.section(SectionKey.PLAN) == draft().section(SectionKey.PLAN)
    assert part.profiles == ()  # the test profiles go with the interests section only
    record, with_interests = consent(record, sections=(SectionKey.INTERETS,))
    assert with_interests.id == "2"
    assert record.excerpt("2", draft()).profiles == draft().profiles


def test_an_excerpt_is_refused_after_the_consent_is_withdrawn():
    record, given = consent()
    record = record.withdraw_consent(given.id, now=LATER)
    with pytest.raises(SynthesisError, match=r"Le consentement n° 1 \(Cap emploi \(Mme Roux\)\) a été retiré le 03/12/2026"):
        record.excerpt(given.id, draft())
    assert record.active_consents() == []
    assert record.consents[0].withdrawn_at == LATER  # kept, not erased
    with pytest.raises(SynthesisError, match="déjà été retiré"):
        record.withdraw_consent(given.id, now=LATER)
    with pytest.raises(SynthesisError, match="Aucun consentement n° « 7 »"):
        record.withdraw_consent("7", now=LATER)


@pytest.mark.parametrize("agreement", ["J'accepte", "j’accepte que ces sections soient transmises", "Léa Martin",
                                       "MARTIN Lea", "Je donne mon accord", "Bon pour accord, L. Martin"])
def test_an_explicit_agreement_is_recorded(agreement: str):
    record, given = consent(agreement=agreement)
    assert given.agreement == agreement and record.active_consents() == [given]


@pytest.mark.parametrize(("agreement", "message"), [
    ("", "Le bénéficiaire doit taper son accord"),
    ("ok", "L'accord n'est pas explicite"),
    ("Léa", "L'accord n'est pas explicite"),
    ("Je n'accepte pas", "contient une négation"),
    ("Léa Martin refuse", "contient une négation"),
    ("J'accepte, mais pas pour l'employeur", "contient une négation"),
])
def test_an_agreement_that_is_not_explicit_is_refused(agreement: str, message: str):
    with pytest.raises(SynthesisError, match=message):
        consent(agreement=agreement)


def test_a_consent_needs_a_recipient_a_section_and_a_date_not_in_the_future():
    with pytest.raises(SynthesisError, match="Indiquez qui reçoit l'extrait"):
        consent(recipient="  ")
    with pytest.raises(SynthesisError, match="au moins une section"):
        consent(sections=())
    with pytest.raises(SynthesisError, match="est dans le futur"):
        consent(given_on=NOW.date() + dt.timedelta(days=1))


def test_a_consent_keeps_its_number_after_a_withdrawal():
    record, first = consent()
    record = record.withdraw_consent(first.id, now=LATER)
    record, second = consent(record)
    assert second.id == "2"
    assert [c.id for c in record.active_consents()] == ["2"]
