"""The job framework: what handlers get (context.py), how they register (registry.py), how SAQ
runs them (runner.py), periodic work declared where it belongs (periodic.py), the framework's
own upkeep (tasks.py) and the `job_runs` table (models.py).

Domain task modules import these modules; only the worker entry point (mediahub.worker)
builds and runs a worker. Nothing is re-exported here: core/queue.py imports models.py, and
an eager package would import the queue back while it is half-initialised.
"""
