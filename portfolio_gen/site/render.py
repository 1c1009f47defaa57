"""The render stage: Jinja2 with autoescape, page-relative URLs and a theme
folder that the portfolio's own templates/ override file by file."""

from __future__ import annotations

import datetime as _dt
import os
import sys
import types
from pathlib import Path, PurePath
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.runtime
import jinja2.utils
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from .. import __version__
from ..cache import digest, key_file, seal, unseal, write_new
from ..config import Config
from ..urls import relative_url
from ..validate import slugify
from .badgeview import BadgeViews
from .graph import Portfolio
from .i18n import Translations, bdi
from .pages import Page
from .themes import builtin_themes, template_folders, theme_dir


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by every environment of this process (keyed by
    the template's name and source checksum): a hub building many portfolios,
    or a preview, compiles the theme once."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class _LayeredBytecodeCache(jinja2.BytecodeCache):
    """The process's compiled templates, then those a previous build left on disk:
    the built-in theme's in the user's cache folder (``theme_cache``), shared by
    every portfolio, the portfolio's own templates in ``.portfolio-cache/jinja/``.
    A warm build compiles nothing, nor does a cold one once any build compiled
    the built-in theme. Compiled code is never trusted from disk: each file is
    sealed with the user's cache key (cache.py) and one that does not verify is
    compiled again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._builtin: dict[str, bool] = {}  # bucket key -> a built-in theme's template
        self._home: Path | None = None  # theme_cache() of this cache's environment

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        key = self.get_cache_key(name, filename)
        if key not in self._builtin:
            self._builtin[key] = filename is not None and _in_builtin_theme(filename)
        return super().get_bucket(environment, name, filename, source)

    def _files(self, bucket: jinja2.bccache.Bucket) -> list[tuple[bytes, Path]]:
        """(seal label, file) where the bucket may be on disk, in the order to try."""
        found = []
        if self._builtin.get(bucket.key):  # the key is a hex digest of name and filename
            if self._home is None:
                self._home = theme_cache(bucket.environment)
            home = self._home
            found.append((b"theme:" + bucket.key.encode(), home / f"{bucket.key}.cache"))
        found.append((b"jinja:" + bucket.key.encode(), self.folder / f"{bucket.key}.cache"))
        return found

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _BYTECODE.load_bytecode(bucket)
        for label, file in self._files(bucket):
            if bucket.code is not None:
                return
            try:
                data = unseal(label, file.read_bytes())
                if data is not None:
                    bucket.bytecode_from_string(data)  # (another Python's: reset by Jinja)
            except Exception:  # noqa: BLE001 - a damaged cache file is compiled again
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _BYTECODE.dump_bytecode(bucket)
        data = _BYTECODE.store[bucket.key]
        for label, file in self._files(bucket):
            try:
                if file.parent != self.folder:  # the user's theme folder (made by _layered: this)
                    file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                write_new(file, seal(label, data))
                return
            except OSError:
                continue


_BYTECODE = _MemoryBytecodeCache()
_Undefined = jinja2.Undefined  # (one look-up less in every sandboxed attribute read)
_BUILTIN_METHOD = types.BuiltinMethodType  # a method written in C, bound to its value
_MACRO = jinja2.runtime.Macro
_MACRO_TAKES_EVAL_CONTEXT = getattr(_MACRO.__call__, "jinja_pass_arg", None) is getattr(
    getattr(jinja2.utils, "_PassArg", None), "eval_context", False
)  # (as Jinja 3.1 has it; else every macro is called the long way)


def theme_cache(env: jinja2.Environment) -> Path:
    """The built-in theme's compiled templates, beside the user's cache key: a
    folder per version of portfolio-gen (and of this file), Jinja, Python and
    the environment's options and filters (Jinja checks each template's source
    on load)."""
    options = [type(env).__qualname__, sys.version, jinja2.__version__, __version__]
    options += [f"{k}={getattr(env, k)!r}" for k in _OPTIONS]
    options += [*sorted(env.filters), "tests:", *sorted(env.tests), *sorted(env.extensions)]
    try:
        this = Path(__file__).read_text("utf-8")  # a checkout's edits, under the same version
    except (OSError, UnicodeDecodeError):  # (installed without its source)
        this = ""
    return key_file().parent / "theme" / digest(this, *options)[:16]


_OPTIONS = (
    *("autoescape", "undefined", "trim_blocks", "lstrip_blocks", "keep_trailing_newline"),
    *("newline_sequence", "optimized", "is_async", "block_start_string"),
    *("variable_start_string", "comment_start_string", "line_statement_prefix"),
)


def _in_builtin_theme(filename: str) -> bool:
    """Whether a template file is the built-in theme's (installed with
    portfolio-gen): never a portfolio's own, nor one reached through a link."""
    builtin = builtin_themes()
    real = os.path.realpath(builtin) + os.sep
    return filename.startswith(f"{builtin}{os.sep}") and os.path.realpath(filename).startswith(real)


def _layered(folder: Path) -> jinja2.BytecodeCache:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return _BYTECODE
    return _LayeredBytecodeCache(folder)


# Methods of the site's objects that templates may call (the default theme does):
# they make markup from data already read, and touch no file, process or network.
TEMPLATE_METHODS = frozenset(
    {
        "portfolio_gen.media.pictures.Picture.html",
        "portfolio_gen.media.pictures.Picture.crop_html",
        "portfolio_gen.site.chart.Chart.svg",
        "portfolio_gen.site.chart.Chart.legend",
        "portfolio_gen.site.chart.Chart.title",
        "portfolio_gen.standards.levels.Levels.rank",
        "portfolio_gen.site.network.Peer.link",
        "portfolio_gen.hub.members.Member.link",
        "portfolio_gen.site.i18n.Translations.plural",
        "portfolio_gen.site.i18n.Translations.date",
    }
)
# Attributes of the site's objects that are not for pages: the builder's own
# recipient identities (PORTFOLIO_RECIPIENT) are only for checking badges.
PRIVATE_ATTRIBUTES = frozenset({"portfolio_gen.config.Config.identities"})
# Values whose own methods a template may call: plain data, and Jinja's helpers.
# (Exactly these types: a subclass may add methods that do anything.)
PLAIN = frozenset(
    {str, Markup, int, float, bool, list, tuple, dict, set, frozenset}
    | {_dt.date, _dt.datetime, _dt.time, _dt.timedelta}
)
JINJA_CALLABLES = (
    jinja2.runtime.Macro,
    jinja2.runtime.BlockReference,  # super(), self.title()
    jinja2.runtime.LoopContext,  # loop(...) in a recursive loop
    jinja2.utils.Joiner,
)
JINJA_HELPERS = (jinja2.runtime.LoopContext, jinja2.utils.Cycler)  # loop.cycle(), c.next()
JINJA_CLASSES = (dict, jinja2.utils.Cycler, jinja2.utils.Joiner, jinja2.utils.Namespace)
SANDBOX_NOTE = "templates run in a sandbox, see docs/themes.md"


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, narrowed to what docs/themes.md promises a template.

    Whoever builds a portfolio may not have written its templates, so a
    template can read data and call only: url, asset, t (and t.plural, t.date),
    slugify, the filters, Jinja's own globals and macros, the methods of plain
    values (str, list, dict, dates) and the few of ``TEMPLATE_METHODS``. It
    cannot read a file path (``config.root``: the builder's home folder) nor
    anything through one (``read_text()``), nor Python's internals.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # (type of object, attribute, type of value) -> safe: the checks depend on
        # nothing else, and repeating them would double the time to render.
        self._safe: dict[tuple[type, str, type], bool] = {}
        # A global found safe to call, by its id: (its name, itself, what Jinja passes
        # it: ``_passes``). Calling it again (t, url, asset: most calls) is one look-up
        # while it is still that global, and it is called as Context.call would call it.
        self._safe_globals: dict[int, tuple[str, Any, str | None]] = {}

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, _Undefined):  # its own message, not about its attributes
            return obj._fail_with_undefined_error()
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return self.getitem(obj, attribute)
        safe = self._safe.get((type(obj), attribute, type(value)))
        if safe:  # (the common case first: ~200 reads a page)
            return value
        if safe is None:
            fmt = self.wrap_str_format(value)
            if fmt is not None:  # a str.format, made safe by Jinja
                return fmt
            key = (type(obj), attribute, type(value))
            safe = self._safe[key] = self.is_safe_attribute(obj, attribute, value)
        return value if safe else self.unsafe_undefined(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath) or isinstance(value, (PurePath, types.ModuleType)):
            return False
        kind = type(obj)
        if f"{kind.__module__}.{kind.__qualname__}.{attr}" in PRIVATE_ATTRIBUTES:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj: Any) -> bool:
        if self._known_global(obj) is not None:
            return True
        if not (super().is_safe_callable(obj) and self._allowed(obj)):
            return False
        for name, value in self.globals.items():
            if value is obj:  # remembered, in place of an earlier global of that name
                kept = self._safe_globals.items()
                self._safe_globals = {k: v for k, v in kept if v[0] != name}
                self._safe_globals[id(obj)] = (name, obj, _passes(obj))
                break
        return True

    def _known_global(self, obj: Any) -> tuple[str, Any, str | None] | None:
        """(name, obj, what it is passed) if ``obj`` was checked in full as a global
        and still is that global, else None."""
        found = self._safe_globals.get(id(obj))
        if found is not None and found[1] is obj and self.globals.get(found[0]) is obj:
            return found
        return None

    def _allowed(self, obj: Any) -> bool:
        if isinstance(obj, type):
            return obj in JINJA_CLASSES
        if isinstance(obj, JINJA_CALLABLES) or isinstance(obj, Translations):
            return True
        if any(obj is value for value in self.globals.values()):
            return True  # url, asset, slugify, range, lipsum...
        owner = getattr(obj, "__self__", None)
        if isinstance(obj, (types.BuiltinMethodType, types.MethodType)) and owner is not None:
            if type(owner) in PLAIN or isinstance(owner, JINJA_HELPERS):
                return True
            kind = type(owner)
            return f"{kind.__module__}.{kind.__qualname__}.{obj.__name__}" in TEMPLATE_METHODS
        wrapped = getattr(obj, "__wrapped__", None)  # str.format, sandboxed by Jinja
        return isinstance(getattr(wrapped, "__self__", None), str)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # (``_known_global``, written out: a third of the calls a page makes are these)
        found = __self._safe_globals.get(id(__obj))
        if found is not None and (
            found[1] is not __obj or __self.globals.get(found[0]) is not __obj
        ):
            found = None
        how = found[2] if found is not None else None
        if how == "nothing":  # t, slugify
            return _call_plain(__context, __obj, args, kwargs)
        if how is not None:  # url, asset: the context, unless a loop or block set
            # variables that a context derived from them would show the callee
            loop_vars, block_vars = kwargs.get("_loop_vars") or {}, kwargs.get("_block_vars") or {}
            if not (loop_vars or block_vars) or (
                how == "page" and "page" not in loop_vars and "page" not in block_vars
            ):  # (saves ~8% of rendering: a derived context for most url() calls)
                return _call_plain(__context, __obj, (__context, *args), kwargs)
        if found is None and type(__obj) is _BUILTIN_METHOD and type(__obj.__self__) in PLAIN:
            # A method of a plain value (dict.get, str.lower): ``is_safe_callable`` allows
            # it and ``Context.call`` passes it nothing (a builtin takes no
            # ``pass_context``), so it is called as they would call it, without their
            # ~4 us of look-ups (site.project_standards.get on every project page and card)
            return _call_plain(__context, __obj, args, kwargs)
        if found is None and type(__obj) is _MACRO and _MACRO_TAKES_EVAL_CONTEXT:
            # A macro: ``is_safe_callable`` allows it (JINJA_CALLABLES) and ``Context.call``
            # passes it the eval context (its ``__call__`` is ``pass_eval_context``)
            return _call_plain(__context, __obj, (__context.eval_ctx, *args), kwargs)
        if found is None and not __self.is_safe_callable(__obj):
            raise SecurityError(f"{_describe(__obj)} cannot be called ({SANDBOX_NOTE})")
        return __context.call(__obj, *args, **kwargs)

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        try:
            value = getattr(obj, attribute, None)
        except Exception:  # noqa: BLE001 - only for the message
            value = None
        if isinstance(obj, PurePath) or isinstance(value, PurePath):
            what = f"{attribute!r} is a file path, which templates cannot read"
        else:
            owner = obj.__name__ if isinstance(obj, type) else _article(type(obj).__name__)
            what = f"{attribute!r} of {owner} cannot be read"
        return self.undefined(
            f"{what} ({SANDBOX_NOTE})", name=attribute, obj=obj, exc=SecurityError
        )

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        if isinstance(value, PurePath):
            return self.unsafe_undefined(obj, str(argument))
        return value


def _passes(obj: Any) -> str | None:
    """What ``Context.call`` would pass ``obj`` before its arguments: "nothing",
    "context" (``pass_context``: the context itself, unless a loop or block set
    variables, which it gets through a derived context), "page" (the same, for a
    function marked ``reads_only_page``), else None (the eval
    context, the environment: always through ``Context.call``). Asked of Jinja
    3.1's private ``_PassArg``: a Jinja without it gets None (slower, never wrong)."""
    pass_arg = getattr(jinja2.utils, "_PassArg", None)
    passes = getattr(pass_arg, "from_obj", None)
    if passes is None:
        return None
    call = getattr(obj, "__call__", None)  # noqa: B004 - as Jinja's Context.call looks
    if call is not None and passes(call) is not None:
        return None
    how = passes(obj)
    if how is None:
        return "nothing"
    if how is not getattr(pass_arg, "context", None):
        return None
    return "page" if getattr(obj, "reads_only_page", False) is True else "context"


def reads_only_page(function: Any) -> Any:
    """Marks a ``pass_context`` global that reads nothing of the context but
    ``context["page"]``: a loop or block that sets other variables changes
    nothing it sees, so it is given the context without deriving one."""
    function.reads_only_page = True
    return function


def _call_plain(context: Any, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``context.call(obj, ...)`` for a callable that gets nothing or the context
    (in ``args``), without Jinja's look-ups of what to pass it (a third of a ``t()`` call)."""
    kwargs.pop("_block_vars", None)
    kwargs.pop("_loop_vars", None)
    try:
        return obj(*args, **kwargs)
    except StopIteration:
        return context.environment.undefined(
            "value was undefined because a callable raised a StopIteration exception"
        )


def _describe(obj: Any) -> str:
    """A callable, named without its repr (which could show a private path)."""
    name = getattr(obj, "__name__", None) or type(obj).__name__
    owner = getattr(obj, "__self__", None)
    if owner is not None and not isinstance(owner, types.ModuleType):
        owner_type = owner if isinstance(owner, type) else type(owner)
        return f"{owner_type.__name__}.{name}()"
    return f"{name}()"


def _article(name: str) -> str:
    return f"an {name!r}" if name[:1].lower() in "aeiou" else f"a {name!r}"


def sandbox(search: list[str] | tuple[str, ...], **options: Any) -> TemplateSandbox:
    """A sandboxed, autoescaping environment reading templates from ``search``."""
    env = TemplateSandbox(
        loader=jinja2.FileSystemLoader(list(search)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **options,
    )
    env.filters["bdi"] = bdi  # <bdi>value</bdi>, for t(): site/i18n.py
    return env


def _environment(search: tuple[str, ...], bytecode_dir: Path | None) -> jinja2.Environment:
    """Every portfolio's environment is the same (the built-in theme compiles
    to the same code for all: ``theme_cache``); what differs is in its globals."""
    env = sandbox(search, bytecode_cache=_layered(bytecode_dir) if bytecode_dir else _BYTECODE)
    env.filters["date"] = _date
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["safe_html"] = Markup  # only for HTML the sanitizer produced
    env.filters["filesize"] = _filesize
    return env


def precompile(config: Config, bytecode_dir: Path | None) -> None:
    """Compile every page template into this process's bytecode cache, where a
    Renderer made later finds them (``build`` does it while workers read)."""
    compile_all(_environment(template_folders(config, theme_dir(config)), bytecode_dir))


def compile_all(env: jinja2.Environment) -> None:
    """Compile the templates of a portfolio's pages (not the hub's: hub.py has its own)."""
    for name in env.list_templates(extensions=["html"]):
        if name.startswith("hub/"):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass  # reported where a page uses it


class Renderer:
    def __init__(
        self,
        portfolio: Portfolio,
        *,
        index_html: bool = False,
        assets: dict[str, str] | None = None,
        env_cache: dict[Any, Any] | None = None,
        bytecode_dir: Path | None = None,
    ) -> None:
        """``env_cache`` keeps the Jinja environment (and its compiled templates)
        between builds of a live preview; Jinja recompiles a template whose file changed."""
        config = portfolio.config
        self.portfolio = portfolio
        self.index_html = index_html
        self.assets = assets or {}
        self.theme = theme_dir(config)
        search = template_folders(config, self.theme)
        if env_cache is None:  # one build: no template changes while it runs
            self.env = _environment(search, bytecode_dir)
            self.env.auto_reload = False  # (checking them cost a fifth of the rendering)
        else:
            # Jinja notices an edited template, but not a new one that shadows a theme
            # file (a local override made while previewing): the files are in the key.
            listing = tuple(sorted(str(p) for f in search for p in Path(f).rglob("*.html")))
            key = ("jinja", search, listing)
            self.env = env_cache.get(key) or _environment(search, bytecode_dir)
            env_cache[key] = self.env
        self.t = Translations(self.theme, config.language)
        self._links: dict[tuple[Any, ...], str] = {}
        # fixed(): (name, page depth) -> (the markup, the top folders its links lead to)
        self._fixed: dict[tuple[str, int], tuple[str, frozenset[str]]] = {}
        self._tops: set[str] | None = None  # while a fixed() part renders: its links' top folders
        self._builtin_files: dict[str, bool] = {}  # a template file -> the built-in theme's
        self.env.globals.update(
            site=portfolio,
            config=config,
            t=self.t,
            url=self._url,
            asset=self._asset,
            fixed=self._fixed_part,
            slugify=slugify,
            avatar=config.avatar_url,
            version=__version__,  # <meta name="generator">
            badge_status=BadgeViews(self.t, _dt.date.today()),  # site/badgeview.py
        )

    @reads_only_page
    @jinja2.pass_context
    def _url(self, context: Any, target: str) -> str:
        return self._relative(context["page"].url, target, self.index_html)

    @reads_only_page
    @jinja2.pass_context
    def _asset(self, context: Any, name: str) -> str:
        return self._relative(context["page"].url, self.assets.get(name, "static/" + name), False)

    @jinja2.pass_context
    def _fixed_part(self, context: Any, name: str, caller: Any = None) -> str:
        """``{% call fixed("name") %}...{% endcall %}``: a part of a template that is
        the same on every page as deep as this one (it uses no ``page``), rendered
        once per depth. Its links are the same only from a page outside every
        top folder they lead to (``_relative``): from inside one, it is rendered
        again. Saves ~15% of a page's rendering (base.html's head and footer)."""
        if caller is None:
            raise jinja2.TemplateRuntimeError(
                f'fixed() wraps a part: {{% call fixed("{name}") %}}...{{% endcall %}}'
            )
        if not self._keeps(caller):
            return str(caller())
        here = context["page"].url
        key = (name, here.count("/"))
        kept = self._fixed.get(key)
        if kept is not None and here.partition("/")[0] not in kept[1]:
            if self._tops is not None:  # (in another fixed part)
                self._tops |= kept[1]
            return kept[0]
        outer, self._tops = self._tops, set()
        try:
            html: str = caller()
            tops = frozenset(self._tops)
        finally:
            self._tops = outer if outer is None else outer | self._tops
        if here.partition("/")[0] not in tops:
            self._fixed[key] = (html, tops)
        return html

    def _keeps(self, caller: Any) -> bool:
        """Whether a fixed() part may be kept: only the built-in theme's, whose parts
        are known to use no ``page``. A portfolio's own template (often a copy of
        base.html, edited) renders its parts on every page: slower, never wrong."""
        code = getattr(getattr(caller, "_func", None), "__code__", None)
        filename = code.co_filename if code is not None else ""
        if filename not in self._builtin_files:
            self._builtin_files[filename] = _in_builtin_theme(filename)
        return self._builtin_files[filename]

    def _relative(self, here: str, target: str, index_html: bool) -> str:
        """``relative_url``, remembered: a link out of the page's top folder (a
        project page's to static/, the nav, the footer) depends only on how deep
        the page is, so a thousand pages compute it once."""
        if self._tops is not None:
            self._tops.add(target.partition("/")[0])
        if here.partition("/")[0] != target.partition("/")[0]:
            key: tuple[Any, ...] = (here.count("/"), target, index_html)
        else:
            key = (here, target, index_html)
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = relative_url(here, target, index_html)
        return link

    def render(self, page: Page, context: dict[str, Any] | None = None) -> str:
        """The page's HTML; ``context``: its context, if made already."""
        template = self.env.get_template(page.template)
        if context is None:
            context = page.context() if callable(page.context) else page.context
        return template.render(page=page, **context)


@jinja2.pass_context  # (so never called while compiling: Jinja folds a filter of constants)
def _date(context: Any, value: Any) -> str:
    """A date in the portfolio's language: its Renderer's ``t.date``, remembered for
    the last ``t`` asked (its pattern and months are fixed when it is made; a page
    shows each date many times: 2.7% fewer instructions rendering the corpus)."""
    global _dates
    t = context.environment.globals["t"]
    if type(value) is not _dt.date:
        date: str = t.date(value)
        return date
    owner, dates = _dates
    if owner is not t:  # (one Translations kept: a preview's next build makes another)
        _dates = owner, dates = t, {}
    found = dates.get(value)
    if found is None:
        found = dates[value] = t.date(value)
    return found


_dates: tuple[Any, dict[_dt.date, str]] = (None, {})  # the last t asked, and its dates


def _filesize(size: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return str(size)
