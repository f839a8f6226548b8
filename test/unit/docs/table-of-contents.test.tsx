// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TableOfContents } from '@/app/docs/_components/table-of-contents';

const headings = [
  { id: 'streams', text: 'Streams', depth: 2 },
  { id: 'partitions', text: 'Partitions', depth: 2 },
  { id: 'how-a-message-picks-its-partition', text: 'How a message picks its partition', depth: 3 },
];

function renderWithHeadings() {
  // The TOC looks the headings up in the document, as it does on a doc page.
  for (const heading of headings) {
    const element = document.createElement(heading.depth === 2 ? 'h2' : 'h3');
    element.id = heading.id;
    element.textContent = heading.text;
    document.body.append(element);
  }
  return render(<TableOfContents headings={headings} />);
}

afterEach(() => {
  cleanup();
  document.body.innerHTML = '';
});

describe('TableOfContents', () => {
  it('is a navigation landmark named "On this page" linking to every heading in order', () => {
    renderWithHeadings();
    const nav = screen.getByRole('navigation', { name: 'On this page' });
    const links = within(nav).getAllByRole('link');
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Streams', '#streams'],
      ['Partitions', '#partitions'],
      ['How a message picks its partition', '#how-a-message-picks-its-partition'],
    ]);
    expect(links[2]?.parentElement?.className).toBe('docs-toc-sub');
  });

  it('marks the entry the reader jumped to as the current location, and only that one', () => {
    renderWithHeadings();
    const nav = screen.getByRole('navigation', { name: 'On this page' });
    fireEvent.click(within(nav).getByRole('link', { name: 'Partitions' }));
    expect(within(nav).getByRole('link', { name: 'Partitions' }).getAttribute('aria-current')).toBe(
      'location',
    );
    expect(nav.querySelectorAll('[aria-current]')).toHaveLength(1);
  });

  it('has a disclosure button that expands and collapses the list on narrow screens', () => {
    renderWithHeadings();
    const toggle = screen.getByRole('button', { name: 'On this page' });
    const nav = screen.getByRole('navigation', { name: 'On this page' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-controls')).toBe(nav.querySelector('ol')?.id);
    expect(nav.getAttribute('data-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(nav.getAttribute('data-expanded')).toBe('true');
  });

  it('renders nothing for a doc without sections', () => {
    const { container } = render(<TableOfContents headings={[]} />);
    expect(container.innerHTML).toBe('');
  });
});
