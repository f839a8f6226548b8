import { Dashboard } from './_components/dashboard/dashboard';
import { ToastProvider } from './_components/toast/toast-provider';

export default function HomePage() {
  return (
    <div className="mx-auto w-full max-w-[1600px] px-4 py-5 sm:px-6 lg:px-8 lg:py-6">
      <div className="mb-5 flex flex-col gap-1">
        <h1 className="text-xl font-semibold tracking-tight sm:text-2xl">
          Watch messages stream through Apache Iggy
        </h1>
        <p className="max-w-3xl text-sm text-muted">
          The producer sends JSON messages over Iggy&apos;s binary TCP protocol; the consumer polls them back
          and stores its offset. Follow them left to right.
        </p>
      </div>
      {/* Only the dashboard raises toasts: its provider stays off the docs pages' first load. */}
      <ToastProvider>
        <Dashboard />
      </ToastProvider>
    </div>
  );
}
