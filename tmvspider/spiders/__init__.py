"""The project's spiders: ``tmv`` crawls the whole site (or single pages with ``-a url=``)."""
