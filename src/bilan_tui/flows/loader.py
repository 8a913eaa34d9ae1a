"""Loading flow files: YAML -> pydantic :class:`~bilan_tui.domain.flow.Flow`, then static checks.

Every problem is reported in French with the file, the step id and what is wrong, so that a
consultant who edits a flow can fix it. A refused flow never prevents the others from loading:
a flow file may come from a colleague, and whatever goes wrong with it (a huge file, a YAML bomb,
a structure too deep, a costly expression, an invalid pattern, a bug of ours) refuses that file
only, with a French summary; the application always starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jinja2 import TemplateSyntaxError
from pydantic import ValidationError

from bilan_tui.domain.flow import DOSSIER, END, AnswerType, ExpressionError, Flow, Step
from bilan_tui.domain.models import ItemKind
from bilan_tui.domain.plural import word
from bilan_tui.domain.privacy import question_private
from bilan_tui.domain.suggestions import SUGGESTERS
from bilan_tui.domain.text import clean_text
from bilan_tui.flows.expressions import check_expression, check_template

BUILTIN_PACKAGE = "bilan_tui.flows.data"

MAX_FILE_BYTES = 1_000_000
"""A flow file larger than this is refused unread (the built-in ones are about 10 kB)."""
MAX_YAML_NODES = 200_000
"""Values in a flow file once its YAML aliases are expanded (a "billion laughs" file has 10⁹)."""
MAX_STEPS = 2_000
"""Steps in one flow (a module of a bilan has tens)."""


@dataclass(frozen=True)
class Problem:
    step_id: str | None
    message: str

    def describe(self) -> str:
        return f"étape « {self.step_id} » : {self.message}" if self.step_id else self.message


class FlowLoadError(Exception):
    """A flow file that cannot be used, with every problem found in it."""

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        # A file name or a message may quote the file: no control character reaches the terminal.
        self.source = clean_text(source)
        self.problems = tuple(
            Problem(clean_text(p.step_id) if p.step_id else p.step_id, clean_text(p.message)) for p in problems
        )
        super().__init__(self.summary())

    def summary(self) -> str:
        lines = [f"Parcours refusé ({self.source}) :"]
        lines += [f"  - {p.describe()}" for p in self.problems]
        return "\n".join(lines)


@dataclass
class FlowCatalog:
    """The flows that loaded, by id, and the files that were refused."""

    flows: dict[str, Flow] = field(default_factory=dict)
    refused: list[FlowLoadError] = field(default_factory=list)

    def by_phase(self) -> list[Flow]:
        order = ["information", "preliminaire", "investigation", "conclusion", "remise", "suivi"]
        return sorted(self.flows.values(), key=lambda f: (order.index(f.phase.value), f.order, f.title))


# -- pydantic errors in plain French -----------------------------------------------------------

_PYDANTIC_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu (faute de frappe ?)",
    "string_pattern_mismatch": "identifiant invalide : lettres minuscules, chiffres et « _ », en commençant par une lettre",
    "string_too_short": "texte vide",
    "too_short": "liste vide",
    "bool_parsing": "attendu : true ou false",
    "int_parsing": "attendu : un nombre entier",
    "float_parsing": "attendu : un nombre",
    "string_type": "attendu : un texte",
    "list_type": "attendu : une liste",
    "tuple_type": "attendu : une liste",
    "dict_type": "attendu : un dictionnaire (clé: valeur)",
    "model_type": "attendu : un dictionnaire (clé: valeur)",
    "greater_than_equal": "nombre trop petit",
}


def _step_id_at(raw: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        try:
            step = raw["steps"][loc[1]]
            return str(step.get("id") or f"n°{loc[1] + 1}")
        except (KeyError, IndexError, TypeError, AttributeError):
            return f"n°{loc[1] + 1}"
    return None


def _translate(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
    elif kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        message = f"valeur « {error.get('input')} » non permise (attendu : {expected})"
    else:
        message = _PYDANTIC_MESSAGES.get(kind, error["msg"])
    return message


def _validation_problems(raw: Any, error: ValidationError) -> list[Problem]:
    problems = []
    errors = error.errors()
    step_errors = any(len(item["loc"]) > 1 and item["loc"][0] == "steps" for item in errors)
    for item in errors:
        loc = tuple(item["loc"])
        if step_errors and loc == ("steps",) and item["type"] == "too_short":
            continue  # pydantic's echo of a refused step, not a second problem
        step_id = _step_id_at(raw, loc)
        inner = loc[2:] if step_id else loc
        where = ".".join(str(part) for part in inner if not str(part).startswith("function-"))
        message = _translate(dict(item))
        problems.append(Problem(step_id, f"{where} : {message}" if where else message))
    return problems


# -- static checks -----------------------------------------------------------------------------


def _successors(flow: Flow, index: int) -> list[str]:
    step = flow.steps[index]
    targets = [rule.goto for rule in step.next]
    unconditional = any(rule.when is None for rule in step.next)
    if not unconditional and index + 1 < len(flow.steps):
        targets.append(flow.steps[index + 1].id)
    return [t for t in targets if t != END]


def _names_in(step: Step) -> list[tuple[str, set[str], str]]:
    """(where, names read, source text) for every expression of a step.

    Raises ``TemplateSyntaxError`` on bad syntax and :class:`ExpressionError` (with ``where``
    in front of its message) when an expression breaks a rule of the sandbox.
    """
    found: list[tuple[str, set[str], str]] = []

    def add(where: str, text: str, check: Any, ignore: frozenset[str] = frozenset()) -> None:
        try:
            found.append((where, check(text) - ignore, text))
        except ExpressionError as error:
            raise ExpressionError(f"{where} : {error}") from None

    add("prompt", step.prompt, check_template)
    if step.prompt_fallback:
        add("prompt_fallback", step.prompt_fallback, check_template)
    if step.show_if:
        add("show_if", step.show_if, check_expression)
    for rule in step.next:
        if rule.when:
            add("next.if", rule.when, check_expression)
    for validator in step.validators:
        add("validators.rule", validator.rule, check_expression, frozenset({"value"}))
        add("validators.message", validator.message, check_template, frozenset({"value"}))
    spec = step.answer
    if spec is not None:
        for condition in spec.choices_where:
            add("choices_where", condition, check_expression, frozenset({"element"}))
        for item_field in spec.fields:
            for condition in item_field.choices_where:
                add(f"fields.{item_field.id}.choices_where", condition, check_expression, frozenset({"element"}))
    if step.produces is not None and step.produces.title_from:
        add("produces.title_from", step.produces.title_from, check_template)
    return found


def _private_variables(flow: Flow, variables: dict[str, list[str]]) -> set[str]:
    """The answers of this flow that only the consultant may see (any of their questions is theirs)."""
    return {name for name, step_ids in variables.items()
            if any(question_private(flow.step(step_id)) for step_id in step_ids)}


def _answers(names: list[str]) -> str:
    return ", ".join(f"la réponse « {name} »" for name in names)


def _reserved(names: list[str]) -> str:
    return f"{word(len(names), 'réservée', 'réservées')} au consultant"


def _check_privacy(flow: Flow, variables: dict[str, list[str]]) -> list[Problem]:
    """A text the beneficiary reads never pipes in an answer reserved to the consultant.

    The privacy rule hides consultant-only questions and their answers; a prompt, a choice list or a
    run's name shown to the beneficiary that quotes such an answer would show it all the same.
    (Conditions may read them: they decide, they do not show.)
    """
    private = _private_variables(flow, variables)
    if not private:
        return []
    problems: list[Problem] = []
    for step in flow.steps:
        if question_private(step):
            continue
        texts = [("prompt", step.prompt)] + ([("prompt_fallback", step.prompt_fallback)] if step.prompt_fallback else [])
        texts += [("validators.message", validator.message) for validator in step.validators]
        if step.produces is not None and step.produces.title_from:
            texts.append(("produces.title_from", step.produces.title_from))
        for where, text in texts:
            try:
                shown = sorted(check_template(text) & private)
            except (TemplateSyntaxError, ExpressionError):
                continue  # said by the expression checks
            if shown:
                problems.append(Problem(step.id, f"{where} : montre au bénéficiaire {_answers(shown)}, "
                                                 f"{_reserved(shown)} (asked_to: consultant)"))
        spec = step.answer
        if spec is None:
            continue
        sources = [("choices_from", spec.choices_from), ("default_from", step.default_from)] + [
            (f"fields.{f.id}.choices_from", f.choices_from) for f in spec.fields
        ] + [("more_choices_from", more.choices_from) for more in spec.more_choices_from]
        for where, source in sources:
            if source in private:
                problems.append(Problem(step.id, f"{where} : propose au bénéficiaire {_answers([source])}, "
                                                 "réservée au consultant (asked_to: consultant)"))
        if step.produces is not None:
            quoted = sorted(s for s in step.produces.details_from
                            if s in {x.id for x in flow.steps} and question_private(flow.step(s)))
            if quoted:
                problems.append(Problem(step.id, f"produces.details_from : un élément du portefeuille visible du "
                                                 f"bénéficiaire reprendrait {_answers(quoted)} {_reserved(quoted)}"))
    return problems


def _check_answers(flow: Flow, variables: dict[str, list[str]]) -> list[Problem]:
    """Dynamic choices, portfolio production and scoring refer to things that exist."""
    problems: list[Problem] = []
    list_steps = {s.id: s for s in flow.steps if s.answer is not None and s.answer.type is AnswerType.LIST}

    def reference_ok(step: Step, where: str, reference: str) -> None:
        module, _, name = reference.partition(".")
        if name:
            if module not in flow.uses:
                problems.append(Problem(step.id, f"{where} : le module « {module} » n'est pas déclaré dans « uses »"))
        elif reference not in variables:
            problems.append(Problem(step.id, f"{where} : aucune réponse « {reference} » dans ce parcours"))
        elif flow.index(variables[reference][0]) >= flow.index(step.id):
            problems.append(Problem(step.id, f"{where} : « {reference} » doit être demandé avant"))

    for step in flow.steps:
        if step.default_from:
            reference_ok(step, "default_from", step.default_from)
        spec = step.answer
        if spec is None:
            if step.produces is not None:
                problems.append(Problem(step.id, "produces : une étape d'information ne produit rien"))
            continue
        if spec.choices_from:
            reference_ok(step, "choices_from", spec.choices_from)
        for more in spec.more_choices_from:
            reference_ok(step, "more_choices_from", more.choices_from)
        if spec.suggest and spec.suggest not in SUGGESTERS:
            problems.append(Problem(step.id, f"suggest : suggestion inconnue « {spec.suggest} » "
                                             f"(connues : {', '.join(sorted(SUGGESTERS))})"))
        for item_field in spec.fields:
            if item_field.choices_from:
                reference_ok(step, f"fields.{item_field.id}.choices_from", item_field.choices_from)
        produces = step.produces
        if produces is None:
            continue
        field_ids = {f.id for f in spec.fields}
        named = [produces.title, *produces.details, produces.category_field, produces.level_field,
                 produces.transferable_field, produces.evidence_field]
        unknown = sorted({n for n in named if n is not None} - field_ids)
        if unknown:
            problems.append(Problem(step.id, f"produces : {word(len(unknown), 'champ inconnu', 'champs inconnus')} "
                                             f"{', '.join(unknown)}"))
        if produces.evidence_step is not None and produces.evidence_step not in list_steps:
            problems.append(Problem(step.id, f"produces.evidence_step : « {produces.evidence_step} » "
                                             "n'est pas une étape de type list de ce parcours"))
        known = {item.id for item in spec.items} | {choice.value for choice in spec.choices}
        strays = sorted(set(produces.categories) - known)
        if strays:
            problems.append(Problem(step.id, f"produces.categories : {word(len(strays), 'élément ou choix inconnu', 'éléments ou choix inconnus')} {', '.join(strays)} "
                                             "(les éléments de la grille ou les choix de la question)"))
        if (produces.title_from or produces.details_from) and spec.type is AnswerType.LIST:
            problems.append(Problem(step.id, "produces : « title_from » et « details_from » vont avec une réponse "
                                             "qui n'est pas une liste (une liste nomme ses champs : title, details)"))
        questions = {s.id for s in flow.steps if s.is_question}
        strays = sorted(set(produces.details_from) - questions)
        if strays:
            problems.append(Problem(step.id, f"produces.details_from : {word(len(strays), 'question inconnue', 'questions inconnues')} "
                                             f"{', '.join(strays)} dans ce parcours"))
        if (produces.categories or produces.self_assessed) and produces.kind is not ItemKind.COMPETENCE:
            problems.append(Problem(step.id, "produces : « categories » et « self_assessed » vont avec "
                                             "kind: competence"))
    if flow.scoring is not None:
        scales = {scale.id for scale in flow.scoring.scales}
        used: set[str] = set()
        for step, item in flow.rated_items():
            if item.scale is None:
                continue
            used.add(item.scale)
            if item.scale not in scales:
                problems.append(Problem(step.id, f"items.{item.id} : échelle « {item.scale} » absente de scoring.scales"))
        for missing in sorted(scales - used):
            problems.append(Problem(None, f"scoring : aucun élément ne compte pour l'échelle « {missing} »"))
    elif any(item.scale for _, item in flow.rated_items()):
        problems.append(Problem(None, "des éléments ont une « scale » mais le parcours n'a pas de « scoring »"))
    if flow.requirements:
        step_id, _, field_id = flow.requirements.partition(".")
        target = list_steps.get(step_id)
        if target is None or target.answer is None or field_id not in {f.id for f in target.answer.fields}:
            problems.append(Problem(None, f"requirements : « {flow.requirements} » n'est pas le champ "
                                          "d'une étape de type list de ce parcours"))
    if flow.repeatable and not flow.instance_label:
        problems.append(Problem(None, "un module « repeatable » demande « instance_label » (le nom de chaque passage)"))
    return problems


def _walk(graph: dict[str, list[str]], first: str, problems: list[Problem]) -> dict[str, int]:
    """Depth-first walk from ``first`` (with a stack of our own: a flow may have thousands of
    steps); every back edge is a loop, reported with its steps. Returns the steps reached."""
    state: dict[str, int] = {first: 1}
    trail = [first]
    on_trail = {first: 0}
    stack = [(first, iter(graph[first]))]
    while stack:
        node, targets = stack[-1]
        target = next(targets, None)
        if target is None:
            stack.pop()
            state[node] = 2
            trail.pop()
            del on_trail[node]
            continue
        if state.get(target) == 1:
            cycle = trail[on_trail[target]:] + [target]
            problems.append(Problem(node, "boucle sans fin : " + " → ".join(cycle)))
        elif target not in state:
            state[target] = 1
            on_trail[target] = len(trail)
            trail.append(target)
            stack.append((target, iter(graph[target])))
    return state


def check_flow(flow: Flow) -> tuple[Flow, list[Problem]]:
    """Run the static checks; return the flow with implicit dependencies added, and the problems."""
    problems: list[Problem] = []
    ids = [s.id for s in flow.steps]
    seen: set[str] = set()
    for step_id in ids:
        if step_id in seen:
            problems.append(Problem(step_id, "identifiant en double : chaque étape doit avoir le sien"))
        seen.add(step_id)
    if flow.id == DOSSIER:
        problems.append(Problem(None, f"id : « {DOSSIER} » est réservé aux faits de la fiche du dossier"))
    known = set(ids)
    if END in known:
        problems.append(Problem(END, f"« {END} » est réservé à la fin du parcours"))

    for step in flow.steps:
        for rule in step.next:
            if rule.goto != END and rule.goto not in known:
                problems.append(Problem(step.id, f"next : l'étape « {rule.goto} » n'existe pas"))
        for source in step.depends_on:
            if source not in known:
                problems.append(Problem(step.id, f"depends_on : l'étape « {source} » n'existe pas"))
    if problems:
        return flow, problems

    # Cycles and reachability over the graph of possible moves.
    graph = {s.id: _successors(flow, i) for i, s in enumerate(flow.steps)}
    state = _walk(graph, flow.steps[0].id, problems)
    for step in flow.steps:
        if step.id not in state:
            problems.append(Problem(step.id, "étape inatteignable : aucun chemin n'y mène"))

    # Variables read by expressions must be answers of the flow.
    variables: dict[str, list[str]] = {}
    for step in flow.steps:
        if step.is_question:
            variables.setdefault(step.variable, []).append(step.id)
    implicit: dict[str, set[str]] = {s.id: set(s.depends_on) for s in flow.steps}
    known_names = set(variables) | set(flow.uses)
    problems += _check_answers(flow, variables)
    problems += _check_privacy(flow, variables)
    for step in flow.steps:
        # Choices taken from an earlier answer of this flow depend on it. (Choices of an element's
        # field do not: the portfolio tracks that link element by element.)
        if step.answer is not None:
            sources = [step.answer.choices_from, *(m.choices_from for m in step.answer.more_choices_from)]
            for origin in sources:
                if origin is not None and origin in variables:
                    implicit[step.id].update(variables[origin])
        try:
            uses = _names_in(step)
        except TemplateSyntaxError as error:
            problems.append(Problem(step.id, f"expression mal formée : {error.message}"))
            continue
        except ExpressionError as error:
            problems.append(Problem(step.id, f"expression refusée : {error}"))
            continue
        for where, names, text in uses:
            unknown = sorted(names - known_names)
            if unknown:
                problems.append(
                    Problem(step.id, f"{where} : variable inconnue {', '.join(unknown)} dans « {text.strip()} »")
                )
            for name in names & set(variables):
                implicit[step.id].update(s for s in variables[name] if s != step.id)
    if flow.instance_label:
        try:
            label_names = check_template(flow.instance_label)
        except TemplateSyntaxError as error:
            problems.append(Problem(None, f"instance_label : expression mal formée : {error.message}"))
        except ExpressionError as error:
            problems.append(Problem(None, f"instance_label : expression refusée : {error}"))
        else:
            unknown = sorted(label_names - known_names)
            if unknown:
                problems.append(Problem(None, f"instance_label : variable inconnue {', '.join(unknown)}"))
            shown = sorted(label_names & _private_variables(flow, variables))
            if shown:
                problems.append(Problem(None, f"instance_label : le nom du passage, vu de tous, reprendrait "
                                              f"{_answers(shown)} {_reserved(shown)}"))
    deps = {s.id: tuple(sorted(implicit[s.id])) for s in flow.steps}
    enriched = flow.model_copy(
        update={"steps": tuple(s.model_copy(update={"depends_on": deps[s.id]}) for s in flow.steps)}
    )
    return enriched, problems


# -- entry points ------------------------------------------------------------------------------


def _expanded_size(node: yaml.Node) -> int:
    """The number of values once aliases are expanded (shared nodes counted at each use).

    Raises ``ValueError`` when it passes :data:`MAX_YAML_NODES` or when an alias contains itself.
    Iterative and memoised: a "billion laughs" file is measured in a few thousand steps.
    """
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        key = id(current)
        if key in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        elif isinstance(current, yaml.MappingNode):
            children = [part for pair in current.value for part in pair]
        if children_done:
            visiting.discard(key)
            total = 1 + sum(sizes[id(child)] for child in children)
            if total > MAX_YAML_NODES:
                raise ValueError(f"trop de valeurs (plus de {MAX_YAML_NODES} une fois les alias YAML développés)")
            sizes[key] = total
            continue
        if key in visiting:
            raise ValueError("un alias YAML se contient lui-même")
        visiting.add(key)
        stack.append((current, True))
        for child in children:
            if id(child) in visiting:
                raise ValueError("un alias YAML se contient lui-même")
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(node)]


def _read_yaml(text: str) -> Any:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _parse_and_check(text: str, source: str) -> Flow:
    if len(text) > MAX_FILE_BYTES:
        raise FlowLoadError(source, [Problem(None, f"fichier trop volumineux (plus de {MAX_FILE_BYTES // 1000} ko)")])
    # Raw control characters (ESC...) are not YAML: removed before reading, as in every text that
    # enters; escaped ones ("\e") are removed by the flow's text fields.
    text = clean_text(text, multiline=True)
    try:
        raw = _read_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (ligne {mark.line + 1}, colonne {mark.column + 1})" if mark else ""
        raise FlowLoadError(source, [Problem(None, f"YAML illisible{where}")]) from None
    except ValueError as error:
        raise FlowLoadError(source, [Problem(None, f"YAML refusé : {error}")]) from None
    if not isinstance(raw, dict):
        raise FlowLoadError(source, [Problem(None, "le fichier doit décrire un parcours (id, title, steps...)")])
    steps = raw.get("steps")
    if isinstance(steps, list) and len(steps) > MAX_STEPS:
        raise FlowLoadError(source, [Problem(None, f"trop d'étapes ({len(steps)} ; au plus {MAX_STEPS})")])
    try:
        flow = Flow.model_validate(raw)
    except ValidationError as error:
        raise FlowLoadError(source, _validation_problems(raw, error)) from None
    flow, problems = check_flow(flow)
    if problems:
        raise FlowLoadError(source, problems)
    return flow


def load_flow_text(text: str, source: str) -> Flow:
    """Parse and check one flow; raise :class:`FlowLoadError` with every problem found.

    Any failure, whatever its kind, becomes a :class:`FlowLoadError`: one flow file can never
    stop the application. (Ctrl+C and a requested exit are not failures of the file.)
    """
    try:
        return _parse_and_check(text, source)
    except FlowLoadError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except MemoryError:
        raise FlowLoadError(source, [Problem(None, "fichier trop volumineux : mémoire insuffisante pour le lire")]) \
            from None
    except RecursionError:
        raise FlowLoadError(source, [Problem(None, "structure trop profonde (imbrications sans fin)")]) from None
    except Exception as error:  # noqa: BLE001 - a defect met while checking one file refuses that file only
        raise FlowLoadError(
            source, [Problem(None, f"fichier inutilisable (erreur inattendue {error.__class__.__name__})")]
        ) from None


def _read_file(path: Path) -> str:
    """The text of a flow file; :class:`FlowLoadError` when it is not a readable UTF-8 file."""
    try:
        if not path.is_file():  # a folder, a FIFO, a device: reading it could block or never end
            raise FlowLoadError(path.name, [Problem(None, "ce n'est pas un fichier ordinaire")])
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise FlowLoadError(path.name, [Problem(None, f"fichier illisible ({error.__class__.__name__})")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise FlowLoadError(path.name, [Problem(None, f"fichier trop volumineux (plus de {MAX_FILE_BYTES // 1000} ko)")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise FlowLoadError(path.name, [Problem(None, "le fichier n'est pas un texte UTF-8")]) from None


def load_flow_file(path: Path) -> Flow:
    return load_flow_text(_read_file(path), path.name)


def load_catalog(extra_dirs: Iterable[Path] = ()) -> FlowCatalog:
    """The built-in flows, then those of ``extra_dirs`` (a flow with the same id replaces the built-in)."""
    catalog = FlowCatalog()

    def add(name: str, read: Any) -> None:
        try:
            flow = load_flow_text(read(), name)
        except FlowLoadError as error:
            catalog.refused.append(error)
            return
        catalog.flows[flow.id] = flow

    for entry in sorted(resources.files(BUILTIN_PACKAGE).iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            add(entry.name, lambda entry=entry: entry.read_text(encoding="utf-8"))
    for folder in extra_dirs:
        try:
            paths = sorted(folder.glob("*.y*ml")) if folder.is_dir() else []
        except OSError as error:
            catalog.refused.append(
                FlowLoadError(folder.name, [Problem(None, f"dossier illisible ({error.__class__.__name__})")])
            )
            continue
        for path in paths:  # one file in memory at a time
            add(path.name, lambda path=path: _read_file(path))
    return catalog
