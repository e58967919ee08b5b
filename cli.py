"""Run the ecosystem command line from a checkout: ``python cli.py --help``."""

from ecosystem.cli import main

if __name__ == "__main__":
    main()
