from dangshi.cli import main

main()
