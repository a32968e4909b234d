/** The sections shown in the navigation, in display order. Routes are declared in App.tsx. */
import {
  CollectionIcon,
  ExchangeIcon,
  FeedIcon,
  SettingsIcon,
  StudioIcon,
  UploadIcon,
  type IconComponent,
} from './icons';
import type { MessageKey } from '../i18n/messages';

export interface NavItem {
  to: string;
  label: MessageKey;
  Icon: IconComponent;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'nav.feed', Icon: FeedIcon },
  { to: '/collection', label: 'nav.collection', Icon: CollectionIcon },
  { to: '/upload', label: 'nav.upload', Icon: UploadIcon },
  { to: '/exchange', label: 'nav.exchange', Icon: ExchangeIcon },
  { to: '/studio', label: 'nav.studio', Icon: StudioIcon },
  { to: '/settings', label: 'nav.settings', Icon: SettingsIcon },
];
