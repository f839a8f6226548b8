// Runs in <head> before first paint so the page never flashes the wrong theme. Constant text, no user data.
export const THEME_STORAGE_KEY = 'iggy-demo-theme';

export const themeScript = `(function(){try{var p=localStorage.getItem('${THEME_STORAGE_KEY}');if(p!=='light'&&p!=='dark')p='system';var d=p==='dark'||(p==='system'&&window.matchMedia('(prefers-color-scheme: dark)').matches);var r=document.documentElement;r.classList.toggle('dark',d);r.dataset.themePreference=p;r.style.colorScheme=d?'dark':'light';}catch(e){}})();`;
