from ambientnote.cli import main

main()
