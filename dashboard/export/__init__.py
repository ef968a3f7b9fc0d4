"""Downloads of the views (dashboard.views) — CSV, Excel, JSON — on the web (``routes``), the JSON API and the
command line (``command``): one snapshot (``snapshot``), its context read from the warehouse (``context``), and
pure writers (``writers``)."""
