"""The bundle's ``trustvault-cli`` (what ``[project.scripts]`` names)."""

import sys

from trustvault.cli.main import main

sys.exit(main())
