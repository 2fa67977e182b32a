"""The bundle's ``trustvault``: the desktop app (what ``[project.gui-scripts]`` names)."""

import sys

from ui.app import main

sys.exit(main())
