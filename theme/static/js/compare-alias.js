// /vergelijk/?ids=... is the short address of a comparison: keep the chosen ids on the way to /vergelijken/.
location.replace(new URL("../vergelijken/" + location.search + location.hash, location.href));
