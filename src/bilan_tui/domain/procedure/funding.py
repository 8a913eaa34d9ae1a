"""Who pays for the bilan, the agreement that binds the parties, its deadlines, and when the bilan may start.

The rules per funding type, as we read the law (numbers in :class:`FundingRules`, configurable):

- **Employer's plan** (R6313-8): a three-party convention (employer, employee, provider). The employee
  has 10 days from the employer's *transmission of the draft convention* to accept it by signing;
  silence at the end of that period means refusal. The bilan starts once the convention is signed.
- **Self-funded** (L6353-3 to L6353-7): a written contract; the person may withdraw within 10 days of
  *signing it* (L6353-5). No sum may be asked before that period is over, and at its end at most 30 %
  of the agreed price (L6353-6); the rest is paid as the bilan goes on. We read "withdrawal" as
  meaning the bilan starts only once the period is over: the first session is on a later day.
- **CPF** (Mon Compte Formation), outside working time: no employer is involved at all. The person
  accepts the order proposal on the platform (4 working days in its terms of use) and the platform asks
  11 working days between the proposal and the start. During working time the employer's prior
  agreement is needed (R6323-4): asked at least 60 days before the start, answered within 30 calendar
  days, silence meaning agreement.
- **France Travail / OPCO**: a convention signed by the parties and the funder's agreement to pay
  (*accord de prise en charge*) before the start; no legal period of reflection.

How days are counted: see :mod:`bilan_tui.domain.procedure.workdays` (calendar days, the day of the
event not counted, a last day on a weekend or public holiday moved to the next working day;
*jours ouvrés* for the platform's rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from bilan_tui.domain.models import Funding, Model, WorkingTime
from bilan_tui.domain.plural import plural
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.procedure.money import Price, format_euros, format_rate, to_cents
from bilan_tui.domain.procedure.workdays import add_working_days, date_label, deadline_end, next_working_day
from bilan_tui.domain.text import CleanLine, is_blank


class FundingType(StrEnum):
    """Who pays; the values shared with :class:`bilan_tui.domain.models.Funding` are spelt the same."""

    CPF = "cpf"
    EMPLOYER = "employeur"
    SELF_FUNDED = "personnel"
    FRANCE_TRAVAIL = "france_travail"
    OPCO = "opco"

    @property
    def label(self) -> str:
        return {
            FundingType.CPF: "CPF (Mon Compte Formation)",
            FundingType.EMPLOYER: "Employeur (plan de développement des compétences)",
            FundingType.SELF_FUNDED: "Financement personnel",
            FundingType.FRANCE_TRAVAIL: "France Travail",
            FundingType.OPCO: "OPCO",
        }[self]

    @property
    def agreement_label(self) -> str:
        """What the signed agreement is called for this funding."""
        return {
            FundingType.CPF: "Commande Mon Compte Formation",
            FundingType.EMPLOYER: "Convention tripartite",
            FundingType.SELF_FUNDED: "Contrat de bilan de compétences",
            FundingType.FRANCE_TRAVAIL: "Convention de bilan de compétences",
            FundingType.OPCO: "Convention de bilan de compétences",
        }[self]


def funding_type(funding: Funding) -> FundingType | None:
    """The funding type of a beneficiary's :class:`Funding` (None for « autre »: to be chosen)."""
    return {
        Funding.CPF: FundingType.CPF,
        Funding.EMPLOYER: FundingType.EMPLOYER,
        Funding.PERSONAL: FundingType.SELF_FUNDED,
        Funding.FRANCE_TRAVAIL: FundingType.FRANCE_TRAVAIL,
    }.get(funding)


class FundingRules(Model):
    """The numbers of the rules above; defaults as we read the law and the CPF platform's terms."""

    employee_answer_days: int = Field(default=10, ge=0)
    """R6313-8: days the employee has to accept the employer's draft convention."""
    withdrawal_days: int = Field(default=10, ge=0)
    """L6353-5: days a self-funded person has to withdraw after signing."""
    advance_cap: Decimal = Field(default=Decimal("0.30"), ge=0, le=1)
    """L6353-6: the share of the price a self-funded person may pay at the end of the withdrawal period."""
    no_payment_during_withdrawal: bool = True
    """L6353-6: nothing may be asked before the withdrawal period is over. False: the 30 % cap applies
    to what is paid up to the end of the period instead."""
    extend_to_working_day: bool = True
    """A period ending on a Saturday, Sunday or public holiday runs to the next working day."""
    cpf_acceptance_working_days: int = Field(default=4, ge=0)
    cpf_min_working_days_before_start: int = Field(default=11, ge=0)
    cpf_employer_answer_days: int = Field(default=30, ge=0)
    """R6323-4: days the employer has to answer a CPF request during working time (silence: agreement)."""
    cpf_employer_notice_days: int = Field(default=60, ge=0)
    """R6323-4: days before the start a CPF request during working time must reach the employer."""


DEFAULT_RULES = FundingRules()


class Employer(Model):
    name: CleanLine = Field(min_length=1)
    """Raison sociale."""
    representative: CleanLine = ""
    """Who signs for the employer (name and position)."""
    address: CleanLine = ""


class EmployerAnswer(StrEnum):
    """The employer's answer to a CPF request during working time."""

    PENDING = "en_attente"
    ACCEPTED = "accord"
    REFUSED = "refus"

    @property
    def label(self) -> str:
        return {EmployerAnswer.PENDING: "en attente", EmployerAnswer.ACCEPTED: "accord",
                EmployerAnswer.REFUSED: "refus"}[self]


class Payment(Model):
    paid_on: dt.date
    amount: Decimal = Field(gt=0, decimal_places=2)
    """Euros TTC."""


class Agreement(Model):
    """The funding of one dossier and the dates entered for it (all optional until they happen)."""

    funding: FundingType
    working_time: WorkingTime | None = None
    """CPF only: during working time needs the employer's agreement; None reads as outside."""
    employer: Employer | None = None
    funder: CleanLine = ""
    """The OPCO or France Travail agency that pays, as it appears on the agreement to pay."""
    price: Price = Price()
    sent_on: dt.date | None = None
    """Employer: the draft convention handed to the employee. CPF: the order proposal sent on the platform."""
    signed_on: dt.date | None = None
    """The day the agreement became binding: the employee's signature (employer), the contract signed
    (self-funded, France Travail, OPCO), the order accepted on the platform (CPF)."""
    funder_agreed_on: dt.date | None = None
    """France Travail / OPCO: the agreement to pay (accord de prise en charge)."""
    employer_request_on: dt.date | None = None
    """CPF during working time: the day the employer received the request."""
    employer_answer: EmployerAnswer = EmployerAnswer.PENDING
    employer_answer_on: dt.date | None = None
    withdrawn_on: dt.date | None = None
    """The person withdrew (self-funded) or refused (employer): the bilan will not take place."""
    payments: tuple[Payment, ...] = ()
    alsace_moselle: bool = False
    """The two extra public holidays of Alsace-Moselle count when a period ends."""

    @property
    def needs_employer(self) -> bool:
        return self.funding is FundingType.EMPLOYER or self.cpf_during_work

    @property
    def cpf_during_work(self) -> bool:
        return self.funding is FundingType.CPF and self.working_time is WorkingTime.DURING

    @property
    def paid(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), Decimal("0.00"))


class DeadlineKind(StrEnum):
    EMPLOYEE_ANSWER = "reponse_salarie"
    WITHDRAWAL = "retractation"
    FIRST_PAYMENT = "premier_paiement"
    CPF_ACCEPTANCE = "acceptation_commande"
    CPF_EARLIEST_START = "entree_au_plus_tot"
    EMPLOYER_ANSWER = "reponse_employeur"
    EMPLOYER_NOTICE = "preavis_employeur"


class Deadline(Model):
    """A date shown on the dossier, with the sentence that says what it means and how it was computed."""

    kind: DeadlineKind
    due: dt.date
    """The last day included (answers, withdrawal) or the first day allowed (payment, start)."""
    label: str
    basis: str

    def is_past(self, today: dt.date) -> bool:
        return today > self.due


def _end(agreement: Agreement, start: dt.date, days: int, rules: FundingRules) -> dt.date:
    return deadline_end(start, days, extend=rules.extend_to_working_day, alsace_moselle=agreement.alsace_moselle)


def _days(days: int) -> str:
    return plural(days, "jour")


def _working_days(days: int) -> str:
    return plural(days, "jour ouvré", "jours ouvrés")


def employee_answer_end(agreement: Agreement, rules: FundingRules = DEFAULT_RULES) -> dt.date | None:
    """Employer funding: the last day the employee may accept the draft convention (None: not sent yet)."""
    if agreement.funding is not FundingType.EMPLOYER or agreement.sent_on is None:
        return None
    return _end(agreement, agreement.sent_on, rules.employee_answer_days, rules)


def withdrawal_end(agreement: Agreement, rules: FundingRules = DEFAULT_RULES) -> dt.date | None:
    """Self-funded: the last day of the withdrawal period (None: the contract is not signed yet)."""
    if agreement.funding is not FundingType.SELF_FUNDED or agreement.signed_on is None:
        return None
    return _end(agreement, agreement.signed_on, rules.withdrawal_days, rules)


def cpf_earliest_start(agreement: Agreement, rules: FundingRules = DEFAULT_RULES) -> dt.date | None:
    """CPF: the first day the bilan may start (None: nothing sent yet)."""
    if agreement.funding is not FundingType.CPF:
        return None
    earliest = []
    if agreement.sent_on is not None:
        earliest.append(add_working_days(agreement.sent_on, rules.cpf_min_working_days_before_start,
                                         alsace_moselle=agreement.alsace_moselle))
    if agreement.cpf_during_work and agreement.employer_request_on is not None:
        earliest.append(agreement.employer_request_on + dt.timedelta(days=rules.cpf_employer_notice_days))
    return max(earliest) if earliest else None


def max_advance(agreement: Agreement, rules: FundingRules = DEFAULT_RULES) -> Decimal:
    """Self-funded: the most the person may pay before the bilan starts (30 % of the price TTC)."""
    return agreement.price.share(rules.advance_cap)


def deadlines(agreement: Agreement, rules: FundingRules = DEFAULT_RULES) -> list[Deadline]:
    """The dates computed from what was entered, in date order, to show on the dossier."""
    found: list[Deadline] = []
    if (answer := employee_answer_end(agreement, rules)) is not None and agreement.sent_on is not None:
        found.append(Deadline(
            kind=DeadlineKind.EMPLOYEE_ANSWER, due=answer,
            label=f"Réponse du salarié attendue au plus tard le {date_label(answer)}",
            basis=f"{_days(rules.employee_answer_days)} à compter de la transmission du projet de convention "
                  f"le {agreement.sent_on:%d/%m/%Y} ; sans réponse dans ce délai, la convention est refusée "
                  "(article R6313-8 du Code du travail)."))
    if (withdrawal := withdrawal_end(agreement, rules)) is not None and agreement.signed_on is not None:
        found.append(Deadline(
            kind=DeadlineKind.WITHDRAWAL, due=withdrawal,
            label=f"Délai de rétractation jusqu'au {date_label(withdrawal)} inclus",
            basis=f"{_days(rules.withdrawal_days)} à compter de la signature du contrat le "
                  f"{agreement.signed_on:%d/%m/%Y} (article L6353-5 du Code du travail) ; le bilan commence après.",
        ))
        first_payment = withdrawal + dt.timedelta(days=1)
        found.append(Deadline(
            kind=DeadlineKind.FIRST_PAYMENT, due=first_payment,
            label=(f"Premier paiement possible à partir du {date_label(first_payment)} : "
                   f"au plus {format_euros(max_advance(agreement, rules))}" if rules.no_payment_during_withdrawal else
                   f"Avant le début du bilan : au plus {format_euros(max_advance(agreement, rules))}"),
            basis=f"Aucune somme avant la fin du délai de rétractation, puis au plus {format_rate(rules.advance_cap)} "
                  f"du prix ({format_euros(agreement.price.incl_tax)} TTC) ; le solde au fil du bilan "
                  "(article L6353-6 du Code du travail)." if rules.no_payment_during_withdrawal else
                  f"Au plus {format_rate(rules.advance_cap)} du prix ({format_euros(agreement.price.incl_tax)} TTC) "
                  "payés avant la fin du délai de rétractation ; le solde au fil du bilan."))
    if agreement.funding is FundingType.CPF and agreement.sent_on is not None:
        accept = add_working_days(agreement.sent_on, rules.cpf_acceptance_working_days,
                                  alsace_moselle=agreement.alsace_moselle)
        found.append(Deadline(
            kind=DeadlineKind.CPF_ACCEPTANCE, due=accept,
            label=f"Validation de la commande attendue au plus tard le {date_label(accept)}",
            basis=f"{_working_days(rules.cpf_acceptance_working_days)} après l'envoi de la proposition "
                  f"de commande le {agreement.sent_on:%d/%m/%Y} (conditions de Mon Compte Formation)."))
        start = add_working_days(agreement.sent_on, rules.cpf_min_working_days_before_start,
                                 alsace_moselle=agreement.alsace_moselle)
        found.append(Deadline(
            kind=DeadlineKind.CPF_EARLIEST_START, due=start,
            label=f"Entrée en bilan au plus tôt le {date_label(start)}",
            basis=f"{_working_days(rules.cpf_min_working_days_before_start)} entre l'envoi de la "
                  "proposition de commande et le début (conditions de Mon Compte Formation)."))
    if agreement.cpf_during_work and agreement.employer_request_on is not None:
        request = agreement.employer_request_on
        answer = _end(agreement, request, rules.cpf_employer_answer_days, rules)
        found.append(Deadline(
            kind=DeadlineKind.EMPLOYER_ANSWER, due=answer,
            label=f"Réponse de l'employeur attendue au plus tard le {date_label(answer)}",
            basis=f"{_days(rules.cpf_employer_answer_days)} à compter de la réception de la demande le "
                  f"{request:%d/%m/%Y} ; sans réponse, l'accord est acquis (article R6323-4 du Code du travail)."))
        notice = request + dt.timedelta(days=rules.cpf_employer_notice_days)
        found.append(Deadline(
            kind=DeadlineKind.EMPLOYER_NOTICE, due=notice,
            label=f"Début sur le temps de travail au plus tôt le {date_label(notice)}",
            basis=f"La demande doit parvenir à l'employeur {_days(rules.cpf_employer_notice_days)} au moins "
                  "avant le début (article R6323-4 du Code du travail)."))
    return sorted(found, key=lambda deadline: deadline.due)


def agreement_problems(agreement: Agreement, today: dt.date) -> list[str]:
    """What is missing or inconsistent in the agreement as entered (French sentences; empty: nothing)."""
    problems = []
    if agreement.needs_employer and agreement.employer is None:
        why = ("le financement par l'employeur" if agreement.funding is FundingType.EMPLOYER
               else "un bilan CPF sur le temps de travail")
        problems.append(f"Indiquez l'employeur (raison sociale) : {why} le demande.")
    if agreement.funding is FundingType.CPF and agreement.working_time is not WorkingTime.DURING \
            and agreement.employer is not None:
        problems.append("Un bilan CPF hors temps de travail se fait sans l'employeur : retirez-le de l'accord.")
    if agreement.funding in (FundingType.OPCO, FundingType.FRANCE_TRAVAIL) and is_blank(agreement.funder):
        name = "l'OPCO" if agreement.funding is FundingType.OPCO else "l'agence France Travail"
        problems.append(f"Indiquez {name} qui prend en charge le bilan.")
    dates = {"transmission ou envoi": agreement.sent_on, "signature": agreement.signed_on,
             "accord de prise en charge": agreement.funder_agreed_on,
             "demande à l'employeur": agreement.employer_request_on,
             "réponse de l'employeur": agreement.employer_answer_on, "rétractation": agreement.withdrawn_on}
    problems.extend(f"La date de {name} ({day:%d/%m/%Y}) est dans le futur." for name, day in dates.items()
                    if day is not None and day > today)
    if agreement.sent_on is not None and agreement.signed_on is not None and agreement.signed_on < agreement.sent_on:
        problems.append(f"La signature ({agreement.signed_on:%d/%m/%Y}) ne peut pas précéder la transmission "
                        f"({agreement.sent_on:%d/%m/%Y}).")
    if agreement.paid > agreement.price.incl_tax:
        problems.append(f"Les paiements ({format_euros(agreement.paid)}) dépassent le prix "
                        f"({format_euros(agreement.price.incl_tax)} TTC).")
    return problems


class StartCheck(Model):
    """Whether the bilan may start on a given day, and if not, every reason (French sentences)."""

    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def reason(self) -> str:
        """The first reason, for a one-line message (empty when the start is allowed)."""
        return self.reasons[0] if self.reasons else ""


def can_start(agreement: Agreement, first_session_date: dt.date, today: dt.date,
              rules: FundingRules = DEFAULT_RULES) -> StartCheck:
    """Whether the first session may take place on ``first_session_date``, seen on ``today``."""
    reasons = agreement_problems(agreement, today)
    if agreement.withdrawn_on is not None:
        reasons.append(f"La personne a renoncé au bilan le {agreement.withdrawn_on:%d/%m/%Y} : il ne peut pas commencer.")
    if first_session_date < today:
        reasons.append(f"La première séance ({first_session_date:%d/%m/%Y}) ne peut pas être dans le passé.")
    reasons.extend(_funding_reasons(agreement, first_session_date, today, rules))
    if agreement.signed_on is not None and agreement.signed_on > first_session_date:
        reasons.append(f"{agreement.funding.agreement_label} : signature datée du {agreement.signed_on:%d/%m/%Y}, après "
                       f"la première séance ({first_session_date:%d/%m/%Y}) ; la signature doit précéder le début.")
    if agreement.funder_agreed_on is not None and agreement.funder_agreed_on > first_session_date:
        reasons.append(f"L'accord de prise en charge est daté du {agreement.funder_agreed_on:%d/%m/%Y}, après la "
                       f"première séance ({first_session_date:%d/%m/%Y}) : il doit la précéder.")
    return StartCheck(reasons=tuple(dict.fromkeys(reasons)))


class EarliestStart(Model):
    """The first day the agreement allows the bilan to start, and why (a French sentence)."""

    day: dt.date
    reason: str


def earliest_start_with_reason(agreement: Agreement, rules: FundingRules = DEFAULT_RULES,
                               today: dt.date | None = None) -> EarliestStart | None:
    """The first day a session of the bilan (not of the information préalable) may take place, as the
    agreement's dates set it, with the sentence that says why; None when no date bounds the start.

    The day is the latest of: the day after the withdrawal period (self-funded), the CPF platform's and
    the employer's delays (:func:`cpf_earliest_start`), the signature of the agreement, the funder's
    agreement to pay. Consistent with :func:`can_start`: on that day and after, no reason of
    :func:`can_start` is about the date of the first session (other reasons, such as a missing
    signature, remain its own). With ``today``, a self-funded contract or a CPF order proposal not yet
    dated is counted as if it came today, the earliest it can: the start is then at least that late.
    """
    found: list[EarliestStart] = []
    signed = agreement.signed_on
    if agreement.funding is FundingType.SELF_FUNDED:
        assumed = signed if signed is not None else today
        if assumed is not None:
            dated = agreement.model_copy(update={"signed_on": assumed})
            end = withdrawal_end(dated, rules)
            if end is not None:
                when = (f"contrat signé le {assumed:%d/%m/%Y}" if signed is not None
                        else "contrat pas encore signé : au plus tôt signé aujourd'hui")
                found.append(EarliestStart(
                    day=end + dt.timedelta(days=1),
                    reason=f"délai de rétractation de {_days(rules.withdrawal_days)} jusqu'au {date_label(end)} "
                           f"inclus ({when}, article L6353-5 du Code du travail)"))
    if agreement.funding is FundingType.CPF:
        sent = agreement.sent_on if agreement.sent_on is not None else today
        if sent is not None:
            cpf = cpf_earliest_start(agreement.model_copy(update={"sent_on": sent}), rules)
            if cpf is not None:
                found.append(EarliestStart(day=cpf, reason="délais de Mon Compte Formation"
                                           + (" et de la demande à l'employeur" if agreement.cpf_during_work else "")
                                           + ("" if agreement.sent_on is not None
                                              else " (proposition de commande pas encore envoyée)")))
    if signed is not None:
        found.append(EarliestStart(day=signed, reason=f"{agreement.funding.agreement_label} : signature le "
                                   f"{signed:%d/%m/%Y}, le bilan ne commence pas avant"))
    if agreement.funder_agreed_on is not None:
        found.append(EarliestStart(day=agreement.funder_agreed_on, reason="accord de prise en charge reçu le "
                                   f"{agreement.funder_agreed_on:%d/%m/%Y}"))
    if not found:
        return None
    return max(found, key=lambda item: item.day)


def earliest_start(agreement: Agreement, rules: FundingRules = DEFAULT_RULES,
                   today: dt.date | None = None) -> dt.date | None:
    """The first day a bilan session may take place (see :func:`earliest_start_with_reason`)."""
    found = earliest_start_with_reason(agreement, rules, today)
    return found.day if found is not None else None


def period_problems(agreement: Agreement, period_start: dt.date | None, period_end: dt.date | None,
                    held: Sequence[dt.date] = (), rules: FundingRules = DEFAULT_RULES) -> list[str]:
    """What is wrong with the period of the convention (French sentences saying what is allowed; empty:
    nothing): its start before the first day the agreement allows (:func:`earliest_start`), its end
    before its start, and the days of the sessions ``held`` (not of the information préalable) outside it.
    """
    problems = []
    if period_start is not None and period_end is not None and period_end < period_start:
        problems.append(f"La fin de la période ({period_end:%d/%m/%Y}) précède son début ({period_start:%d/%m/%Y}).")
    found = earliest_start_with_reason(agreement, rules)
    if period_start is not None and found is not None and period_start < found.day:
        problems.append(f"La période commence le {period_start:%d/%m/%Y}, avant le premier jour possible : "
                        f"{found.reason} ; elle commence au plus tôt le {date_label(found.day)}.")
    days = sorted(held)
    if period_start is not None and days and days[0] < period_start:
        problems.append(f"Une séance a eu lieu le {days[0]:%d/%m/%Y}, avant le début de la période "
                        f"({period_start:%d/%m/%Y}) : la période commence au plus tard le jour de la première séance.")
    if period_end is not None and days and days[-1] > period_end:
        problems.append(f"Une séance a eu lieu le {days[-1]:%d/%m/%Y}, après la fin de la période "
                        f"({period_end:%d/%m/%Y}) : la période finit au plus tôt le jour de la dernière séance.")
    return problems


def _funding_reasons(agreement: Agreement, first: dt.date, today: dt.date, rules: FundingRules) -> list[str]:
    match agreement.funding:
        case FundingType.EMPLOYER:
            return _employer_reasons(agreement, today, rules)
        case FundingType.SELF_FUNDED:
            end = withdrawal_end(agreement, rules)
            if end is None:
                return ["Le contrat n'est pas signé : le bilan ne peut pas commencer."]
            if first <= end:
                return [f"Délai de rétractation en cours jusqu'au {date_label(end)} inclus : première séance possible "
                        f"à partir du {date_label(next_working_day(end + dt.timedelta(days=1), alsace_moselle=agreement.alsace_moselle))}."]
            return []
        case FundingType.CPF:
            return _cpf_reasons(agreement, first, today, rules)
        case FundingType.FRANCE_TRAVAIL | FundingType.OPCO:
            reasons = []
            if agreement.signed_on is None:
                reasons.append("La convention n'est pas signée : le bilan ne peut pas commencer.")
            if agreement.funder_agreed_on is None:
                who = "de France Travail" if agreement.funding is FundingType.FRANCE_TRAVAIL else "de l'OPCO"
                reasons.append(f"L'accord de prise en charge {who} n'est pas reçu.")
            return reasons
    return []  # pragma: no cover - every funding type is matched above


def _employer_reasons(agreement: Agreement, today: dt.date, rules: FundingRules) -> list[str]:
    end = employee_answer_end(agreement, rules)
    if end is None:
        return ["Le projet de convention n'a pas été transmis au salarié."]
    if agreement.signed_on is None:
        if today > end:
            return [f"Sans réponse du salarié au {date_label(end)}, la convention est refusée (le silence vaut refus) : "
                    "un nouveau projet de convention doit lui être transmis."]
        return [f"Réponse du salarié en attente : signature de la convention possible jusqu'au {date_label(end)}."]
    if agreement.signed_on > end:
        return [f"Convention signée le {agreement.signed_on:%d/%m/%Y}, après la fin du délai de réponse "
                f"({date_label(end)}) : le silence valait refus, un nouveau projet doit être transmis."]
    return []


def _cpf_reasons(agreement: Agreement, first: dt.date, today: dt.date, rules: FundingRules) -> list[str]:
    reasons = []
    if agreement.sent_on is None:
        reasons.append("La proposition de commande n'a pas été envoyée sur Mon Compte Formation.")
    elif agreement.signed_on is None:
        accept = add_working_days(agreement.sent_on, rules.cpf_acceptance_working_days,
                                  alsace_moselle=agreement.alsace_moselle)
        if today > accept:
            reasons.append(f"La commande n'a pas été validée avant le {date_label(accept)} : la proposition n'engage "
                           "plus l'organisme, envoyez-en une nouvelle sur Mon Compte Formation.")
        else:
            reasons.append("La personne n'a pas encore validé la commande sur Mon Compte Formation "
                           f"(au plus tard le {date_label(accept)}).")
    if agreement.cpf_during_work:
        if agreement.employer_request_on is None:
            reasons.append("Bilan sur le temps de travail : la demande d'accord à l'employeur n'est pas enregistrée.")
        elif agreement.employer_answer is EmployerAnswer.REFUSED:
            reasons.append("L'employeur a refusé le bilan sur le temps de travail : il peut se faire hors temps de "
                           "travail, sans lui.")
        elif agreement.employer_answer is EmployerAnswer.PENDING:
            answer = _end(agreement, agreement.employer_request_on, rules.cpf_employer_answer_days, rules)
            if today <= answer:
                reasons.append(f"Réponse de l'employeur en attente jusqu'au {date_label(answer)} "
                               "(sans réponse à cette date, l'accord est acquis).")
    earliest = cpf_earliest_start(agreement, rules)
    if earliest is not None and first < earliest:
        reasons.append(f"Entrée en bilan au plus tôt le {date_label(earliest)} (délais de Mon Compte Formation"
                       + (" et de la demande à l'employeur)." if agreement.cpf_during_work else ")."))
    return reasons


def payment_problems(agreement: Agreement, first_session_date: dt.date | None,
                     rules: FundingRules = DEFAULT_RULES) -> list[str]:
    """What breaks the payment rules of a self-funded bilan (French sentences; empty: nothing).

    Paid before the bilan starts (the day of the first session excluded; all payments when it is not
    planned yet): at most 30 % of the price TTC. With ``no_payment_during_withdrawal``, nothing paid up
    to the last day of the withdrawal period.
    """
    if agreement.funding is not FundingType.SELF_FUNDED:
        return []
    problems = []
    end = withdrawal_end(agreement, rules)
    cap = max_advance(agreement, rules)
    if end is not None:
        early = [payment for payment in agreement.payments if payment.paid_on <= end]
        if early and rules.no_payment_during_withdrawal:
            problems.append(f"Paiement du {early[0].paid_on:%d/%m/%Y} pendant le délai de rétractation (jusqu'au "
                            f"{date_label(end)}) : aucune somme ne peut être demandée avant sa fin.")
        elif early and (paid_early := sum((p.amount for p in early), Decimal("0.00"))) > cap:
            problems.append(f"{format_euros(paid_early)} payés pendant le délai de rétractation : "
                            f"au plus {format_euros(cap)} ({format_rate(rules.advance_cap)} du prix TTC).")
    advance = sum((p.amount for p in agreement.payments
                   if first_session_date is None or p.paid_on < first_session_date), Decimal("0.00"))
    if advance > cap:
        problems.append(f"{format_euros(advance)} payés avant le début du bilan : au plus {format_euros(cap)} "
                        f"({format_rate(rules.advance_cap)} du prix TTC), le solde au fil des séances.")
    return problems


def add_payment(agreement: Agreement, payment: Payment, first_session_date: dt.date | None,
                rules: FundingRules = DEFAULT_RULES) -> Agreement:
    """The agreement with ``payment``; refused (:class:`ProcedureError`) when it breaks a payment rule."""
    after = agreement.model_copy(update={"payments": (*agreement.payments, payment)})
    if after.paid > after.price.incl_tax:
        raise ProcedureError(f"Ce paiement porterait le total à {format_euros(after.paid)}, au-delà du prix "
                             f"({format_euros(after.price.incl_tax)} TTC).", "amount")
    new = [problem for problem in payment_problems(after, first_session_date, rules)
           if problem not in payment_problems(agreement, first_session_date, rules)]
    if new:
        raise ProcedureError(new[0], "amount")
    return after


def balance(agreement: Agreement) -> Decimal:
    """What remains to be paid, TTC."""
    return to_cents(agreement.price.incl_tax - agreement.paid)
