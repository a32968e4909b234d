/**
 * What the app says for each API error `code`, in English and Russian. The codes come from the
 * backend's catalogue (src/mediahub/core/error_codes.py → the `ErrorCode` enum in schema.ts), so
 * a code without a message here is a type error, and errors.test.ts fails on it too.
 * `{name}` is filled from the error's `params`; `{n, plural, one {…} few {…} many {…} other {…}}`
 * picks the form by the language's plural rules. The server's English `detail` is never shown.
 */
import type { components } from '../api/schema';
import { format, type Language, type Values } from './i18n';

export type ErrorCode = components['schemas']['ErrorCode'] | ClientErrorCode;
/** Failures the app names itself: no answer at all, or one without a code we know. */
export type ClientErrorCode = 'network' | 'unknown';
export type ErrorTable = Record<ErrorCode, string>;

export const errorsEn: ErrorTable = {
  network: 'No connection to the server. Check the network and try again.',
  unknown: 'Something went wrong. Please try again.',
  bad_request: 'The request could not be understood.',
  not_found: 'Not found.',
  method_not_allowed: 'This action is not available here.',
  error: 'Something went wrong (HTTP {status}).',
  internal_error: 'Something went wrong on the server. Please try again.',
  service_unavailable: 'The server is busy for a moment. Please try again shortly.',
  insufficient_storage: 'The server has no room left; nothing was saved.',
  'storage.unavailable':
    'The file storage is unavailable for a moment; nothing was saved. Try again shortly.',
  rate_limited:
    'Too many attempts. Try again in {retry_after, plural, one {# second} other {# seconds}}.',
  request_timeout: 'The connection was too slow. Please try again.',
  'request.too_large': 'The request is too large (at most {size}).',
  'request.bad_text': 'The text contains characters that cannot be saved.',
  'request.disconnected': 'The connection was interrupted. Please try again.',
  json_too_deep: 'The request is too complex.',
  'api.no_route': 'This address is not part of the API.',
  'cursor.invalid': 'This page link is not valid. Reload the list.',
  invalid_text: '{field} contains invisible or control characters. Remove them and try again.',
  'validation.missing': '{field} is required.',
  'validation.too_short':
    '{field} must be at least {min, plural, one {# character} other {# characters}}.',
  'validation.too_long':
    '{field} must be at most {max, plural, one {# character} other {# characters}}.',
  'validation.too_few': '{field} needs at least {min, plural, one {# item} other {# items}}.',
  'validation.too_many': '{field} takes at most {max, plural, one {# item} other {# items}}.',
  'validation.too_small': '{field} must be at least {min}.',
  'validation.too_large': '{field} must be at most {max}.',
  'validation.wrong_type': '{field} has a wrong value.',
  'validation.not_allowed': '{field} has a value that is not allowed.',
  'validation.format': '{field} is not in the expected format.',
  'validation.unknown_field': 'The request has an unknown field: {field}.',
  'validation.json_invalid': 'The request could not be read.',
  'validation.invalid': '{field} is not valid.',
  'username.invalid':
    'The username must be {min}–{max} characters long: Latin letters, digits, “_”, “.” or “-”, starting with a letter or digit.',
  'username.taken': 'This username is taken. Choose another.',
  username_reserved:
    'Usernames that start with “max” and a digit are kept for MAX accounts. Choose another.',
  'password.too_short':
    'The password must be at least {min, plural, one {# character} other {# characters}}.',
  'password.too_long':
    'The password must be at most {max, plural, one {# character} other {# characters}}.',
  'password.whitespace': 'The password must not start or end with a space.',
  'password.too_common': 'This password is too common or too simple. Choose another.',
  'password.contains_username': 'The password must not contain the username.',
  'auth.bad_credentials': 'Wrong username or password.',
  'auth.not_signed_in': 'Please sign in.',
  'auth.token_expired': 'Your session has expired. Please sign in again.',
  'auth.token_invalid': 'Your session is not valid. Please sign in again.',
  'auth.signed_out': 'This session was signed out. Please sign in again.',
  'auth.account_gone': 'This account no longer exists.',
  'auth.refresh_invalid': 'Your session is not valid. Please sign in again.',
  'auth.refresh_reused':
    'Your session was used twice, so it was ended everywhere. Please sign in again.',
  'auth.refresh_expired': 'Your session has expired. Please sign in again.',
  'auth.max_disabled': 'Signing in with MAX is not enabled on this server.',
  'auth.max_rejected': 'MAX did not confirm who you are. Reopen the app from MAX.',
  'auth.max_no_username': 'Could not create an account for you. Please try again.',
  'upload.not_multipart': 'The upload could not be read. Please try again.',
  'upload.too_large': 'The file is too large (at most {size}).',
  'upload.empty_file': 'The file is empty.',
  'upload.unsupported_type': 'This file type is not supported. Accepted: {accepted}.',
  'upload.no_file': 'Choose a file first.',
  'upload.one_file': 'Upload one file at a time.',
  'upload.wrong_file_field': 'The upload could not be read. Please try again.',
  'upload.too_many_parts': 'The upload has too many parts.',
  'upload.too_many_fields': 'The upload has too many fields.',
  'upload.unknown_fields': 'The upload has unknown fields: {fields}.',
  'upload.field_too_long': '{field} is too long.',
  'upload.field_not_utf8': '{field} could not be read as text.',
  'upload.field_nul': '{field} contains characters that cannot be saved.',
  'upload.interrupted': 'The upload was interrupted. Please try again.',
  'upload.malformed': 'The upload could not be read. Please try again.',
  'photo.not_found': 'This photo does not exist or is not visible to you.',
  'photo.not_owner': 'Only the owner of the photo can do this.',
  'photo.duplicate': 'You have already uploaded this photo.',
  'photo.already_yours': 'This photo is already yours.',
  'photos.not_found':
    '{count, plural, one {# of the selected photos no longer exists} other {# of the selected photos no longer exist}}. Nothing was changed; reload and try again.',
  'photos.not_owner':
    '{count, plural, one {# of the selected photos is} other {# of the selected photos are}} not yours. Nothing was changed.',
  'photo.bad_is_public': 'The “public” setting must be yes or no.',
  'tags.too_many': 'At most {max, plural, one {# tag} other {# tags}}.',
  'tags.too_long':
    'A tag can be at most {max, plural, one {# character} other {# characters}} long.',
  'description.too_long':
    'The description can be at most {max, plural, one {# character} other {# characters}} long.',
  'trade.code_unknown': 'There is no trade with this code. Check the code and try again.',
  'trade.not_found': 'This trade does not exist.',
  'trade.own': 'This is your own trade.',
  'trade.gone':
    'This trade {status, select, cancelled {was cancelled} expired {has expired} other {is closed}}.',
  'trade.claimed': 'Someone has already received this trade.',
  'trade.size': 'Offer from {min} to {max, plural, one {# photo} other {# photos}}.',
  'trade.photos_changed': 'The photos of this trade changed since it was made.',
  'exchange.photo_in_trade':
    '{titled, select, yes {The photo “{photo}”} other {This photo}} is already in an open trade. Cancel that trade first.',
  'exchange.photo_in_transfer':
    '{titled, select, yes {The photo “{photo}”} other {This photo}} is offered to someone who has not answered yet. Cancel that transfer first.',
  'transfer.not_found': 'This transfer does not exist.',
  'transfer.to_self': 'You cannot transfer a photo to yourself.',
  'transfer.recipient_not_found': 'The recipient does not exist.',
  'transfer.gone': 'This transfer has expired.',
  'transfer.decided':
    'This transfer was already {status, select, accepted {accepted} declined {declined} cancelled {cancelled} other {answered}}.',
  'transfer.photo_gone': 'The photo no longer belongs to the sender.',
  'qr.bad_data': 'This is not a trade or profile code.',
  'user.not_found': 'This user does not exist.',
  'profile_request.own': 'You cannot request your own profile.',
  'profile_request.not_found': 'This request does not exist.',
  'profile_request.no_photos': 'Choose at least one photo to share.',
  'profile_request.not_your_photo': 'You can share only your own photos.',
  'profile_request.expired': 'This request has expired.',
  'profile_request.decided':
    'This request was already {status, select, approved {approved} rejected {rejected} revoked {revoked} expired {closed: it expired} other {answered}}.',
  'profile_request.only_owner_revokes': 'Only the profile owner can revoke an approved request.',
  'download.link_invalid': 'This download link is not valid or has expired.',
  'download.link_revoked': 'This download link has been revoked.',
  'download.file_missing': 'The file no longer exists.',
  'download.file_changed': 'The file changed during the download. Please try again.',
  requested_range_not_satisfiable: 'This part of the file does not exist.',
  'transcription.not_found': 'This transcription does not exist.',
  media_too_long: 'The recording is longer than this server allows.',
  'transcription.model_not_offered':
    'The model {model} is not offered here. Choose one of: {choices}.',
  'transcription.model_language_unsupported':
    'The model {model} cannot transcribe this language ({language}). Choose another model or keep the default.',
  'transcription.model_cannot_translate':
    'The model {model} knows only English and cannot translate. Choose a multilingual model.',
  'transcription.no_model_for_language':
    'No model on this server can handle this language. Ask the administrator to add a multilingual model.',
  'transcription.option_invalid': 'The setting {field} is not valid.',
  'transcription.undecodable': 'The file holds no audio that can be read.',
  'transcription.model_unavailable':
    'The speech model is not installed on this server. Ask the administrator.',
  'transcription.too_long':
    'The recording lasts {minutes} min; the limit here is {limit, plural, one {# minute} other {# minutes}}.',
  'transcription.finished':
    'The transcription has already {status, select, done {finished} failed {failed} cancelled {been cancelled} other {ended}}.',
  'transcription.not_retryable': 'Only failed or cancelled transcriptions can be retried.',
  'transcription.not_ready': 'The transcript is not ready yet.',
  'transcription.failed':
    'The transcription {status, select, cancelled {was cancelled} other {failed}}.',
  timeout: 'Still transcribing after {seconds, plural, one {# second} other {# seconds}}.',
  'transcription.bad_response_format': 'response_format must be one of: {choices}.',
  'segment.not_found': 'This fragment no longer exists. Reload the transcript.',
  'segment.blank': 'The text must not be empty.',
  'speaker.not_found': 'This speaker no longer exists. Reload the transcript.',
  'speaker.blank': 'The name must not be empty.',
  'voice.no_embedding':
    'This speaker has no voice sample to remember. Use “Find speakers again” first.',
  'voice.too_many': 'You can keep at most {max} voices. Forget one first.',
  'voice.not_found': 'This voice is no longer remembered.',
  'voice.name_taken': 'You already have a voice named “{name}”. Choose another name.',
  'title.blank': 'The title must contain something besides spaces.',
  'title.too_long': 'The title can be at most {max} characters long.',
  'segment.speaker_ambiguous': 'Choose an existing speaker or a new one, not both.',
  'speaker.merge_self': 'A speaker cannot be merged into itself.',
};

export const errorsRu: ErrorTable = {
  network: 'Нет связи с сервером. Проверьте сеть и попробуйте ещё раз.',
  unknown: 'Что-то пошло не так. Попробуйте ещё раз.',
  bad_request: 'Запрос не удалось разобрать.',
  not_found: 'Не найдено.',
  method_not_allowed: 'Это действие здесь недоступно.',
  error: 'Что-то пошло не так (HTTP {status}).',
  internal_error: 'На сервере что-то пошло не так. Попробуйте ещё раз.',
  service_unavailable: 'Сервер ненадолго занят. Попробуйте чуть позже.',
  insufficient_storage: 'На сервере закончилось место; ничего не сохранено.',
  'storage.unavailable':
    'Хранилище файлов ненадолго недоступно; ничего не сохранено. Попробуйте чуть позже.',
  rate_limited:
    'Слишком много попыток. Повторите через {retry_after, plural, one {# секунду} few {# секунды} many {# секунд} other {# секунды}}.',
  request_timeout: 'Соединение слишком медленное. Попробуйте ещё раз.',
  'request.too_large': 'Запрос слишком большой (не больше {size}).',
  'request.bad_text': 'В тексте есть символы, которые нельзя сохранить.',
  'request.disconnected': 'Соединение прервалось. Попробуйте ещё раз.',
  json_too_deep: 'Запрос слишком сложный.',
  'api.no_route': 'Такого адреса в API нет.',
  'cursor.invalid': 'Ссылка на страницу недействительна. Обновите список.',
  invalid_text:
    'В поле «{field}» есть невидимые или управляющие символы. Уберите их и попробуйте снова.',
  'validation.missing': 'Заполните поле «{field}».',
  'validation.too_short':
    'Поле «{field}»: не меньше {min, plural, one {# символа} few {# символов} many {# символов} other {# символа}}.',
  'validation.too_long':
    'Поле «{field}»: не больше {max, plural, one {# символа} few {# символов} many {# символов} other {# символа}}.',
  'validation.too_few':
    'Поле «{field}»: нужно не меньше {min, plural, one {# элемента} few {# элементов} many {# элементов} other {# элемента}}.',
  'validation.too_many':
    'Поле «{field}»: не больше {max, plural, one {# элемента} few {# элементов} many {# элементов} other {# элемента}}.',
  'validation.too_small': 'Поле «{field}»: не меньше {min}.',
  'validation.too_large': 'Поле «{field}»: не больше {max}.',
  'validation.wrong_type': 'В поле «{field}» неверное значение.',
  'validation.not_allowed': 'В поле «{field}» недопустимое значение.',
  'validation.format': 'Поле «{field}» заполнено в неверном формате.',
  'validation.unknown_field': 'В запросе неизвестное поле: {field}.',
  'validation.json_invalid': 'Запрос не удалось прочитать.',
  'validation.invalid': 'Поле «{field}» заполнено неверно.',
  'username.invalid':
    'Имя пользователя — от {min} до {max} символов: латинские буквы, цифры, «_», «.» или «-», первой должна быть буква или цифра.',
  'username.taken': 'Это имя пользователя занято. Выберите другое.',
  username_reserved:
    'Имена, начинающиеся с «max» и цифры, зарезервированы для аккаунтов MAX. Выберите другое.',
  'password.too_short':
    'Пароль должен быть не короче {min, plural, one {# символа} few {# символов} many {# символов} other {# символа}}.',
  'password.too_long':
    'Пароль должен быть не длиннее {max, plural, one {# символа} few {# символов} many {# символов} other {# символа}}.',
  'password.whitespace': 'Пароль не должен начинаться или заканчиваться пробелом.',
  'password.too_common': 'Этот пароль слишком простой или распространённый. Выберите другой.',
  'password.contains_username': 'Пароль не должен содержать имя пользователя.',
  'auth.bad_credentials': 'Неверное имя пользователя или пароль.',
  'auth.not_signed_in': 'Войдите в аккаунт.',
  'auth.token_expired': 'Сеанс истёк. Войдите снова.',
  'auth.token_invalid': 'Сеанс недействителен. Войдите снова.',
  'auth.signed_out': 'Из этого сеанса выполнен выход. Войдите снова.',
  'auth.account_gone': 'Этого аккаунта больше нет.',
  'auth.refresh_invalid': 'Сеанс недействителен. Войдите снова.',
  'auth.refresh_reused':
    'Сеанс использован дважды, поэтому он завершён на всех устройствах. Войдите снова.',
  'auth.refresh_expired': 'Сеанс истёк. Войдите снова.',
  'auth.max_disabled': 'Вход через MAX на этом сервере не включён.',
  'auth.max_rejected': 'MAX не подтвердил, кто вы. Откройте приложение из MAX заново.',
  'auth.max_no_username': 'Не удалось создать для вас аккаунт. Попробуйте ещё раз.',
  'upload.not_multipart': 'Загрузку не удалось прочитать. Попробуйте ещё раз.',
  'upload.too_large': 'Файл слишком большой (не больше {size}).',
  'upload.empty_file': 'Файл пустой.',
  'upload.unsupported_type': 'Этот тип файла не поддерживается. Подходят: {accepted}.',
  'upload.no_file': 'Сначала выберите файл.',
  'upload.one_file': 'Загружайте по одному файлу.',
  'upload.wrong_file_field': 'Загрузку не удалось прочитать. Попробуйте ещё раз.',
  'upload.too_many_parts': 'В загрузке слишком много частей.',
  'upload.too_many_fields': 'В загрузке слишком много полей.',
  'upload.unknown_fields': 'В загрузке неизвестные поля: {fields}.',
  'upload.field_too_long': 'Поле «{field}» слишком длинное.',
  'upload.field_not_utf8': 'Поле «{field}» не удалось прочитать как текст.',
  'upload.field_nul': 'В поле «{field}» есть символы, которые нельзя сохранить.',
  'upload.interrupted': 'Загрузка прервалась. Попробуйте ещё раз.',
  'upload.malformed': 'Загрузку не удалось прочитать. Попробуйте ещё раз.',
  'photo.not_found': 'Этой фотографии нет или она вам недоступна.',
  'photo.not_owner': 'Это может сделать только владелец фотографии.',
  'photo.duplicate': 'Вы уже загружали эту фотографию.',
  'photo.already_yours': 'Эта фотография уже ваша.',
  'photos.not_found':
    'Некоторых выбранных фотографий больше нет ({count}). Ничего не изменено; обновите страницу и попробуйте снова.',
  'photos.not_owner':
    '{count, plural, one {# из выбранных фотографий не ваша} other {# из выбранных фотографий не ваши}}. Ничего не изменено.',
  'photo.bad_is_public': 'Настройка «публичная» должна быть «да» или «нет».',
  'tags.too_many':
    'Не больше {max, plural, one {# тега} few {# тегов} many {# тегов} other {# тега}}.',
  'tags.too_long':
    'Тег — не длиннее {max, plural, one {# символа} few {# символов} many {# символов} other {# символа}}.',
  'description.too_long':
    'Описание — не длиннее {max, plural, one {# символа} few {# символов} many {# символов} other {# символа}}.',
  'trade.code_unknown': 'Обмена с таким кодом нет. Проверьте код и попробуйте снова.',
  'trade.not_found': 'Такого обмена нет.',
  'trade.own': 'Это ваш собственный обмен.',
  'trade.gone': 'Этот обмен {status, select, cancelled {отменён} expired {истёк} other {закрыт}}.',
  'trade.claimed': 'Этот обмен уже кто-то получил.',
  'trade.size':
    'Предложите от {min} до {max, plural, one {# фотографии} few {# фотографий} many {# фотографий} other {# фотографии}}.',
  'trade.photos_changed': 'Фотографии этого обмена изменились после его создания.',
  'exchange.photo_in_trade':
    '{titled, select, yes {Фотография «{photo}»} other {Эта фотография}} уже участвует в открытом обмене. Сначала отмените тот обмен.',
  'exchange.photo_in_transfer':
    '{titled, select, yes {Фотография «{photo}»} other {Эта фотография}} уже предложена другому пользователю, он ещё не ответил. Сначала отмените ту передачу.',
  'transfer.not_found': 'Такой передачи нет.',
  'transfer.to_self': 'Нельзя передать фотографию самому себе.',
  'transfer.recipient_not_found': 'Такого получателя нет.',
  'transfer.gone': 'Срок этой передачи истёк.',
  'transfer.decided':
    'Эта передача уже {status, select, accepted {принята} declined {отклонена} cancelled {отменена} other {завершена}}.',
  'transfer.photo_gone': 'Фотография больше не принадлежит отправителю.',
  'qr.bad_data': 'Это не код обмена и не код профиля.',
  'user.not_found': 'Такого пользователя нет.',
  'profile_request.own': 'Нельзя запросить собственный профиль.',
  'profile_request.not_found': 'Такого запроса нет.',
  'profile_request.no_photos': 'Выберите хотя бы одну фотографию.',
  'profile_request.not_your_photo': 'Делиться можно только своими фотографиями.',
  'profile_request.expired': 'Срок этого запроса истёк.',
  'profile_request.decided':
    'Этот запрос уже {status, select, approved {одобрен} rejected {отклонён} revoked {отозван} expired {истёк} other {рассмотрен}}.',
  'profile_request.only_owner_revokes': 'Одобренный запрос может отозвать только владелец профиля.',
  'download.link_invalid': 'Ссылка для скачивания недействительна или устарела.',
  'download.link_revoked': 'Ссылка для скачивания отозвана.',
  'download.file_missing': 'Этого файла больше нет.',
  'download.file_changed': 'Файл изменился во время скачивания. Попробуйте ещё раз.',
  requested_range_not_satisfiable: 'Такой части файла нет.',
  'transcription.not_found': 'Такой расшифровки нет.',
  media_too_long: 'Запись длиннее, чем разрешено на этом сервере.',
  'transcription.model_not_offered':
    'Модель {model} здесь недоступна. Выберите одну из: {choices}.',
  'transcription.model_language_unsupported':
    'Модель {model} не распознаёт этот язык ({language}). Выберите другую модель или оставьте модель по умолчанию.',
  'transcription.model_cannot_translate':
    'Модель {model} знает только английский и не умеет переводить. Выберите многоязычную модель.',
  'transcription.no_model_for_language':
    'На этом сервере нет модели для этого языка. Попросите администратора добавить многоязычную модель.',
  'transcription.option_invalid': 'Настройка «{field}» задана неверно.',
  'transcription.undecodable': 'В файле нет звука, который можно прочитать.',
  'transcription.model_unavailable':
    'Модель распознавания речи не установлена на этом сервере. Обратитесь к администратору.',
  'transcription.too_long':
    'Запись длится {minutes} мин; здесь можно не больше {limit, plural, one {# минуты} few {# минут} many {# минут} other {# минуты}}.',
  'transcription.finished':
    'Расшифровка уже {status, select, done {готова} failed {завершилась ошибкой} cancelled {отменена} other {завершена}}.',
  'transcription.not_retryable': 'Повторить можно только неудавшуюся или отменённую расшифровку.',
  'transcription.not_ready': 'Расшифровка ещё не готова.',
  'transcription.failed': 'Расшифровка {status, select, cancelled {отменена} other {не удалась}}.',
  timeout:
    'Расшифровка идёт уже {seconds, plural, one {# секунду} few {# секунды} many {# секунд} other {# секунды}}.',
  'transcription.bad_response_format': 'response_format должен быть одним из: {choices}.',
  'segment.not_found': 'Этого фрагмента больше нет. Обновите расшифровку.',
  'segment.blank': 'Текст не должен быть пустым.',
  'speaker.not_found': 'Этого говорящего больше нет. Обновите расшифровку.',
  'speaker.blank': 'Имя не должно быть пустым.',
  'voice.no_embedding':
    'У этого говорящего нет образца голоса. Сначала нажмите «Найти говорящих заново».',
  'voice.too_many': 'Можно запомнить не больше {max} голосов. Сначала забудьте один.',
  'voice.not_found': 'Этот голос больше не запомнен.',
  'voice.name_taken': 'Голос с именем «{name}» уже есть. Выберите другое имя.',
  'title.blank': 'Название не может состоять из одних пробелов.',
  'title.too_long': 'Название — не длиннее {max} символов.',
  'segment.speaker_ambiguous': 'Выберите существующего говорящего или нового, но не обоих сразу.',
  'speaker.merge_self': 'Нельзя объединить говорящего с самим собой.',
};

/** Field names as people read them (params.field); an unknown field shows as sent. */
export const fieldNames: Record<'en' | 'ru', Record<string, string>> = {
  en: {
    username: 'Username',
    password: 'Password',
    description: 'Description',
    tags: 'Tags',
    tag: 'Tag',
    name: 'Name',
    text: 'Text',
    title: 'Title',
    q: 'Search',
    language: 'Language',
    model: 'Model',
    display_name: 'Display name',
    refresh_token: 'Session',
    photo_ids: 'Photos',
    art_object_ids: 'Photos',
    body: 'Request',
  },
  ru: {
    username: 'Имя пользователя',
    password: 'Пароль',
    description: 'Описание',
    tags: 'Теги',
    tag: 'Тег',
    name: 'Имя',
    text: 'Текст',
    title: 'Название',
    q: 'Поиск',
    language: 'Язык',
    model: 'Модель',
    display_name: 'Отображаемое имя',
    refresh_token: 'Сеанс',
    photo_ids: 'Фотографии',
    art_object_ids: 'Фотографии',
    body: 'Запрос',
  },
};

const tables: Record<Language, ErrorTable> = { en: errorsEn, ru: errorsRu };
type Params = Record<string, string | number | readonly string[] | null | undefined>;

/** Whether `code` is one the app has a message for. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorsEn, code);
}

function sizeText(bytes: number, language: Language): string {
  const mb = bytes / 1024 / 1024;
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: mb < 10 ? 1 : 0 });
  return `${number.format(mb)} ${language === 'ru' ? 'МБ' : 'MB'}`;
}

/** The message for an API error code in `language`, its params filled in. */
export function errorText(code: ErrorCode, params: Params | undefined, language: Language): string {
  const values: Values = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value !== null && value !== undefined) values[name] = value;
  }
  if (typeof values.field === 'string') {
    values.field = fieldNames[language][values.field] ?? values.field;
  }
  if (typeof values.max_bytes === 'number') values.size = sizeText(values.max_bytes, language);
  return format(language, tables[language][code], values);
}
