"""The Jinja environment every DOCX document renders with (docxtpl).

Templates come from the repository and from uploads (``reports.ReportTemplate``), so a template
is treated as hostile code: ``{{ lipsum.__globals__['os'].popen('id').read() }}`` in an
uploaded template once ran a shell command during the upload check. Three layers:

1. Jinja's ``ImmutableSandboxedEnvironment``: no attribute starting with ``_``, no
   function internals, no mutation of lists and dicts; no globals at all (no ``lipsum``,
   ``range``, ``cycler``, ``joiner``, ``namespace``, ``dict``) and only the filters and tests
   listed below.
2. Before anything runs, the parsed template is checked against what a document template needs:
   text, ``{{ value }}``, ``{% if %}`` and ``{% for %}`` over the context's values, comparisons,
   ``~``, ``+``/``-`` and the allowed filters and tests. Calls, ``{% set %}``, macros, includes,
   ``{% autoescape %}`` blocks, ``*``/``%``/``**`` and private names are refused by name
   (``TemplateRefused``), so a refused template never executes a single expression.
3. What is left is bounded while it runs, per document (``render_budget``): the characters
   written and the characters built by filters, ``~`` and ``+``, the loop iterations, and the
   CPU time. Nested loops and strings doubled through nested ``{% for x in [x ~ x] %}`` stop at
   the limit (``TemplateTooCostly``) instead of exhausting the server.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_eval_context

# What a document template may use. The system's own templates (``docx_template``) use none of
# the filters; these are the harmless text ones an administrator editing a template may want.
ALLOWED_FILTERS = (
    "capitalize",
    "count",
    "d",
    "default",
    "e",
    "escape",
    "first",
    "join",
    "last",
    "length",
    "lower",
    "trim",
    "upper",
)
ALLOWED_TESTS = (
    "defined",
    "undefined",
    "none",
    "true",
    "false",
    "number",
    "string",
    "sequence",
    "even",
    "odd",
    "divisibleby",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "in",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
)
ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.If,
    nodes.For,
    nodes.Name,
    nodes.Const,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Neg,
    nodes.Pos,
    nodes.CondExpr,
    nodes.Concat,
    nodes.Add,
    nodes.Sub,
    nodes.Filter,
    nodes.Test,
    nodes.List,
    nodes.Tuple,
    nodes.Keyword,
)
STATEMENT_TAGS: dict[type[nodes.Node], str] = {
    nodes.Assign: "{% set %}",
    nodes.AssignBlock: "{% set %}",
    nodes.With: "{% with %}",
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from … import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
    nodes.EvalContextModifier: "{% autoescape %}",
    nodes.ScopedEvalContextModifier: "{% autoescape %}",
    nodes.Scope: "{% autoescape %}",  # the parser wraps an autoescape block in a Scope
}

# The limits of one document (every part: body, headers, footers, properties). The largest
# document the system makes (a national report) writes about 1 M characters in a few hundred
# loop iterations and well under a second of CPU.
MAX_OUTPUT = 20_000_000  # characters written
MAX_BUILT = 20_000_000  # characters built by filters, ~ and +
MAX_ITERATIONS = 1_000_000  # loop iterations, all loops together
MAX_CPU_SECONDS = 30.0  # CPU time of the rendering thread

_COUNTED = "kc_counted_loop"  # internal filters the checked template is rewritten with
_JOINED = "kc_counted_concat"


class TemplateRefused(SecurityError):
    """The template uses something a document template may not (found before it runs)."""


class TemplateTooCostly(SecurityError):
    """The template went past a limit of ``render_budget`` while rendering."""


@dataclass
class RenderBudget:
    output: int = MAX_OUTPUT
    built: int = MAX_BUILT
    iterations: int = MAX_ITERATIONS
    cpu_until: float = field(default_factory=lambda: time.thread_time() + MAX_CPU_SECONDS)

    def _check(self, left: int, message: str, limit: int) -> None:
        # ``message``: marked with gettext_noop, translated only when raised (this runs per
        # loop turn and per piece of output)
        if left < 0:
            raise TemplateTooCostly(_(message) % {"limit": f"{limit:,}".replace(",", ".")})
        if time.thread_time() > self.cpu_until:
            raise TemplateTooCostly(
                _("The template takes too long to render (more than %(seconds)s seconds).")
                % {"seconds": int(MAX_CPU_SECONDS)}
            )

    def spend_output(self, characters: int) -> None:
        self.output -= characters
        message = gettext_noop(
            "The template produces too much text (more than %(limit)s characters)."
        )
        self._check(self.output, message, MAX_OUTPUT)

    def spend_built(self, characters: int) -> None:
        self.built -= characters
        message = gettext_noop(
            "The template builds too much text (more than %(limit)s characters)."
        )
        self._check(self.built, message, MAX_BUILT)

    def spend_iteration(self) -> None:
        self.iterations -= 1
        message = gettext_noop(
            "The template repeats too many times (more than %(limit)s loop turns)."
        )
        self._check(self.iterations, message, MAX_ITERATIONS)


_budget: contextvars.ContextVar[RenderBudget | None] = contextvars.ContextVar(
    "docx_render_budget", default=None
)


@contextlib.contextmanager
def render_budget() -> Iterator[RenderBudget]:
    """The limits of one document: started by ``docx.render_docx_context`` around all of its
    parts, or by each render when none is active."""
    current = _budget.get()
    if current is not None:
        yield current
        return
    budget = RenderBudget()
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


def _current() -> RenderBudget:
    budget = _budget.get()
    if budget is None:  # generate()/stream() would bypass ``concat`` and its limits
        raise RuntimeError("Document templates render through Template.render only.")
    return budget


def _count_built(result: Any) -> Any:
    if isinstance(result, str):
        _current().spend_built(len(result))
    return result


def _counting(function: Callable[..., Any]) -> Callable[..., Any]:
    # functools.wraps also copies Jinja's pass_* marker, so the filter gets the same arguments.
    @functools.wraps(function)
    def counted(*args: Any, **kwargs: Any) -> Any:
        return _count_built(function(*args, **kwargs))

    return counted


def _counted_loop(iterable: Iterable[Any]) -> Iterator[Any]:
    budget = _current()
    for item in iterable:
        budget.spend_iteration()
        yield item


@pass_eval_context
def _counted_concat(eval_ctx: Any, values: list[Any]) -> str:
    return _count_built(markup_join(values) if eval_ctx.autoescape else str_join(values))


def _what(node: nodes.Node) -> str | None:
    """What in ``node`` a document template may not use, in words; None when allowed."""
    if isinstance(node, nodes.Call):
        return _("a function or method call")
    tag = STATEMENT_TAGS.get(type(node))
    if tag:
        return _("the statement %(tag)s") % {"tag": tag}
    if isinstance(node, nodes.BinExpr | nodes.UnaryExpr) and not isinstance(node, ALLOWED_NODES):
        return _("the operator “%(operator)s”") % {"operator": node.operator}
    if not isinstance(node, ALLOWED_NODES):
        return _("the construct “%(name)s”") % {"name": type(node).__name__}
    if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
        return _("the filter “%(name)s”") % {"name": node.name}
    if isinstance(node, nodes.Test) and node.name not in ALLOWED_TESTS:
        return _("the test “%(name)s”") % {"name": node.name}
    private = None
    if isinstance(node, nodes.Getattr):
        private = node.attr
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        private = node.arg.value
    elif isinstance(node, nodes.Name):
        private = node.name
    if isinstance(private, str) and private.startswith("_"):
        return _("the internal name “%(name)s”") % {"name": private}
    return None


def check_template(template: nodes.Template) -> None:
    """Refuse (``TemplateRefused``) a parsed template using anything outside the allow-lists."""
    for node in (template, *template.find_all(nodes.Node)):
        problem = _what(node)
        if problem:
            raise TemplateRefused(
                _("The template uses %(what)s, which document templates may not use.")
                % {"what": problem}
            )


def _bounded(template: nodes.Template) -> nodes.Template:
    """``template`` with every loop's items and every ``~`` counted against the budget."""
    for loop in list(template.find_all(nodes.For)):
        loop.iter = nodes.Filter(loop.iter, _COUNTED, [], [], None, None, lineno=loop.lineno)
    for parent in [template, *template.find_all(nodes.Node)]:
        for name, value in parent.iter_fields():
            if isinstance(value, nodes.Concat):
                setattr(parent, name, _joined(value))
            elif isinstance(value, list):  # in place: a rewritten ~ shares its list of parts
                value[:] = [
                    _joined(item) if isinstance(item, nodes.Concat) else item for item in value
                ]
    return template


def _joined(concat: nodes.Concat) -> nodes.Filter:
    return nodes.Filter(
        nodes.List(concat.nodes, lineno=concat.lineno),
        _JOINED,
        [],
        [],
        None,
        None,
        lineno=concat.lineno,
    )


class DocumentEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox (autoescaped, as docxtpl's ``render(autoescape=True)`` makes it),
    compiling each template text once per process: docxtpl hands it the XML of every part
    (body, header, core properties) on every render. Keyed by the text itself, so an uploaded
    template version or another document's template is simply another entry."""

    intercepted_binops = frozenset({"+"})
    kept = 16  # compiled templates kept

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self.globals.clear()
        self.filters = {name: _counting(self.filters[name]) for name in ALLOWED_FILTERS}
        self.filters[_COUNTED] = _counted_loop
        self.filters[_JOINED] = _counted_concat
        self.tests = {name: self.tests[name] for name in ALLOWED_TESTS}
        self._compiled: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Every way to a compiled template (from_string, compile, parse) parses here: the
        # check runs before any code of the template exists.
        template = super()._parse(source, name, filename)
        check_template(template)
        _bounded(template).set_environment(self)  # the added nodes need it too
        return template

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return _count_built(super().call_binop(context, operator, left, right))

    def concat(self, chunks: Iterable[str]) -> str:
        """Joins what a template writes (``Template.render``), counting it."""
        with render_budget() as budget:
            written = []
            for chunk in chunks:
                budget.spend_output(len(chunk))
                written.append(chunk)
            return "".join(written)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._lock:
            template = self._compiled.get(source)
            if template is not None:
                self._compiled.move_to_end(source)
                return template
        template = super().from_string(source)
        with self._lock:
            self._compiled[source] = template
            while len(self._compiled) > self.kept:
                self._compiled.popitem(last=False)
        return template
