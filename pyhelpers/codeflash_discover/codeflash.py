"""`python -m codeflash_discover.codeflash ARGS...`: codeflash's own CLI (`codeflash ARGS...`) with
its test discovery answered by codeflash-discover (`codeflash_discover.install()` first)."""

import sys

import codeflash_discover


def main() -> None:
    codeflash_discover.install()
    from codeflash.main import main as codeflash_main

    sys.argv[0] = "codeflash"
    sys.exit(codeflash_main())


if __name__ == "__main__":
    main()
