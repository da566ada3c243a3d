"""The site's pages: each module's ``main()`` is started by ``boot.js`` for
the page whose ``<body data-app>`` names it."""
