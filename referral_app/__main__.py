"""Entry point for ``python -m referral_app`` and the PyInstaller bundle."""

import sys

from referral_app.app import main

if __name__ == "__main__":
    sys.exit(main())
