"""``python -m crmimpl``."""

from crmimpl.cli.main import run

if __name__ == "__main__":
    run()
