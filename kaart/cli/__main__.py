from kaart.cli import run

run()
