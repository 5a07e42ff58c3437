"""`python -m pipeline` is the `facts` command."""

from .cli import main

main(prog_name="facts")
