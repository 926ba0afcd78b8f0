"""Report what the target interpreter offers: its version and whether jedi and pytest import."""

import importlib.util
import json
import sys

print(json.dumps({
    "version": list(sys.version_info[:3]),
    "executable": sys.executable,
    "jedi": importlib.util.find_spec("jedi") is not None,
    "pytest": importlib.util.find_spec("pytest") is not None,
}))
