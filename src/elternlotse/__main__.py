from elternlotse.entry import main

raise SystemExit(main())
