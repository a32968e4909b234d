import { Component, type ReactNode } from 'react';

interface Props {
  /** Already translated: class components cannot use the i18n hook. */
  title: string;
  reloadLabel: string;
  children: ReactNode;
}

/**
 * Catches a page that fails to load or render. The usual cause is a deploy while the tab was
 * open: the old hashed chunk is gone, and only a reload fetches the new ones.
 * The layout keys this by path, so navigating elsewhere clears the error.
 */
export class PageErrorBoundary extends Component<Props, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidCatch(error: unknown) {
    console.error('page failed', error);
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <section className="mh-empty" role="alert">
        <h1 className="h4">{this.props.title}</h1>
        <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
          {this.props.reloadLabel}
        </button>
      </section>
    );
  }
}
