'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Dashboard', match: (path: string) => path === '/' },
  { href: '/docs', label: 'Docs', match: (path: string) => path === '/docs' || path.startsWith('/docs/') },
  { href: '/labs', label: 'Labs', match: (path: string) => path === '/labs' || path.startsWith('/labs/') },
  {
    href: '/explore',
    label: 'Explore',
    match: (path: string) => path === '/explore' || path.startsWith('/explore/'),
  },
];

export function SiteNav() {
  const pathname = usePathname() ?? '/';
  return (
    <nav aria-label="Main">
      {/* Four links and the header's badges fit a 390 px phone only with tighter spacing there. */}
      <ul className="flex items-center gap-1 max-[420px]:gap-0">
        {LINKS.map((link) => {
          const active = link.match(pathname);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                className="nav-link max-[420px]:px-1.5"
                aria-current={active ? 'page' : undefined}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
