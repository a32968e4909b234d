"""Every table's model module, imported here so `Base.metadata` is complete.

The one place that knows all of them: Alembic's environment and the tests' clean-up read
`Base.metadata` from this module. A domain that adds a `models.py` adds it here.
"""

from mediahub.core.jobs import models as job_models
from mediahub.core.models import Base
from mediahub.exchange import models as exchange_models
from mediahub.gallery import models as gallery_models
from mediahub.transcription import models as transcription_models
from mediahub.users import models as user_models

MODEL_MODULES = (user_models, gallery_models, exchange_models, transcription_models, job_models)

__all__ = ["MODEL_MODULES", "Base"]
