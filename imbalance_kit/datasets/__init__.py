"""Where the course's data comes from; nothing else in the kit reads files."""
