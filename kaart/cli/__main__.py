from kaart.cli import main

raise SystemExit(main())
