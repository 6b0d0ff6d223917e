"""`python -m bot` is the `lingkar` command."""

from bot.cli import main

raise SystemExit(main())
