"""pytest plugin (`-p dropin_plugin`): swaps codeflash-discover's drop-in into codeflash before the
upstream test module imports `discover_unit_tests`, and checks in every test that it is in place."""

import pytest

import codeflash_discover

codeflash_discover.install()


@pytest.fixture(autouse=True)
def _drop_in_is_installed():
    import codeflash.discovery.discover_unit_tests as reference

    assert reference.discover_unit_tests is codeflash_discover.discover_unit_tests
    yield
