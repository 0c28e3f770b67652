import sys

from faaskit.cli import main

sys.exit(main())
