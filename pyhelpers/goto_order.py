"""Deterministic choice among several `goto` definitions.

Jedi's `Name.goto` may return several definitions in an order that follows
iteration over identity-hashed sets (run-dependent). codeflash takes `[0]`,
so the reference itself is not deterministic. Our rule: sort the definitions
by this key, then take the first. The comparison script patches the same
sort into the reference process (`patch_jedi_name_goto`) so that the two can
be compared for equality.
"""


def definition_sort_key(definition):
    return (
        str(definition.module_path or ""),
        definition.line or 0,
        definition.column or 0,
        definition.full_name or "",
    )


def sorted_definitions(definitions):
    return sorted(definitions, key=definition_sort_key)


def patch_jedi_name_goto():
    """Make `jedi.api.classes.Name.goto` return its definitions sorted (reference runs only)."""
    from jedi.api import classes

    original_goto = classes.Name.goto
    if getattr(original_goto, "_codeflash_discover_sorted", False):
        return

    def goto(self, **kwargs):
        return sorted_definitions(original_goto(self, **kwargs))

    goto._codeflash_discover_sorted = True
    classes.Name.goto = goto


def value_sort_key(value):
    """A content-based key for a Jedi value (class, instance, module...), for ordering sets of them."""
    try:
        node = value.tree_node
        position = node.start_pos if node is not None else (0, 0)
    except Exception:
        position = (0, 0)
    try:
        path = str(value.get_root_context().py__file__() or "")
    except Exception:
        path = ""
    try:
        name = str(value.name.string_name)
    except Exception:
        name = ""
    return (path, position, name, type(value).__name__)


def patch_jedi_class_mro():
    """Walk a class's bases in a content-based order.

    jedi's `ClassMixin.py__mro__` iterates each base's inferred values (a
    frozenset of identity-hashed objects): where a base may be several classes
    (`class G(nx.Graph if x else nx.DiGraph)`, factories), the order, and so
    the method found first, changes run to run. Same rule as `goto`: sort,
    then walk. Applied in our workers and, for the strict gate, in the reference.
    """
    from jedi.inference.value import klass

    if getattr(klass.ClassMixin.py__mro__, "_codeflash_discover_sorted", False):
        return

    def py__mro__(self):
        mro = [self]
        yield self
        for lazy_cls in self.py__bases__():
            for cls in sorted(lazy_cls.infer(), key=value_sort_key):
                try:
                    mro_method = cls.py__mro__
                except AttributeError:
                    continue  # jedi ignores bases that are not classes, too
                for cls_new in mro_method():
                    if cls_new not in mro:
                        mro.append(cls_new)
                        yield cls_new

    py__mro__._codeflash_discover_sorted = True
    klass.ClassMixin.py__mro__ = py__mro__


class _OrderedValues(frozenset):
    """A frozenset of Jedi values that iterates in a content-based order."""

    def __iter__(self):
        if len(self) < 2:
            return frozenset.__iter__(self)
        return iter(sorted(frozenset.__iter__(self), key=value_sort_key))

    def __or__(self, other):
        return _OrderedValues(frozenset.__or__(self, other))

    def __and__(self, other):
        return _OrderedValues(frozenset.__and__(self, other))


def patch_jedi_value_sets():
    """Make every `ValueSet` iterate its values in a content-based order.

    jedi keeps inferred values in frozensets of identity-hashed objects and
    walks them in many places; the walk order decides which path uses up
    the per-Script inference budget first, so results drift run to run.
    """
    from jedi.inference.base_value import ValueSet

    if getattr(ValueSet, "_codeflash_discover_sorted", False):
        return
    original_init = ValueSet.__init__

    def __init__(self, iterable):
        original_init(self, iterable)
        self._set = _OrderedValues(self._set)

    @classmethod
    def _from_frozen_set(cls, frozenset_):
        self = cls.__new__(cls)
        self._set = frozenset_ if isinstance(frozenset_, _OrderedValues) else _OrderedValues(frozenset_)
        return self

    ValueSet.__init__ = __init__
    ValueSet._from_frozen_set = _from_frozen_set
    ValueSet._codeflash_discover_sorted = True


def make_jedi_deterministic():
    """Every patch of this module: what the worker runs, and what the strict reference run gets."""
    patch_jedi_name_goto()
    patch_jedi_class_mro()
    patch_jedi_value_sets()
