from ardesk.cli import main

raise SystemExit(main())
