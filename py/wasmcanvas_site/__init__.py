"""The demo site's applications (not part of the wasmcanvas library): each
module's ``main()`` is started by ``boot.js`` for the page whose
``<body data-app>`` names it, and ``lesson`` is the seed lesson's page. The
site alone installs this package, from its own wheel beside wasmcanvas's."""
