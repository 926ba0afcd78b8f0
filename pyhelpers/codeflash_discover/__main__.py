"""`codeflash-discover` on the venv's PATH (the wheel's console script): runs the bundled binary
with the same arguments, exit code and streams (exec: no Python process stays between)."""

import os
import sys

from codeflash_discover import DiscoveryError, binary_path


def main() -> None:
    try:
        binary = str(binary_path())
    except DiscoveryError as error:
        sys.exit(f"codeflash-discover: error: {error}")
    os.execv(binary, [binary, *sys.argv[1:]])


if __name__ == "__main__":
    main()
