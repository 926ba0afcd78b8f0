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
