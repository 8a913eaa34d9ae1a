from bilan_tui.cli import main

raise SystemExit(main())
