"""Code the order handlers share: packaged into every function's zip by picofun."""
