// "Copy link": the address of the picture on screen (the URL holds only the settings that differ
// from the defaults, for the view shown), and its classroom form, which shows only the picture,
// the explanation and the controls the lecturer names.
import { serializeState } from '../state/page';
import { pickState, useLecture } from '../state/store';

/** The controls a classroom link shows by default: depth, and s/τ where ContraNorm is shown. */
function classroomControls(): string {
  const s = useLecture.getState();
  const contra = s.normA === 'contranorm' || (s.compare && s.normB === 'contranorm');
  return s.view === 'depth' && contra ? 'd,s,tau' : 'd';
}

export function linkFor(classroom: boolean): string {
  const state = pickState(useLecture.getState());
  const hash = serializeState(
    classroom ? { ...state, classroom: true, show: classroomControls(), presentation: true } : state,
  );
  return `${window.location.origin}${window.location.pathname}${hash ? `#${hash}` : ''}`;
}

async function copy(text: string, what: string): Promise<void> {
  const addToast = useLecture.getState().addToast;
  try {
    await navigator.clipboard.writeText(text);
    addToast(`${what} copied (${text.length} characters).`);
  } catch {
    // No clipboard (an insecure page, a refused permission): show it to copy by hand.
    addToast(`${what}: ${text}`);
  }
}

/** One link's button: the picture as it is, or (`classroom`) its classroom form. */
function CopyLinkButton({ classroom }: { classroom: boolean }) {
  const what = classroom ? 'Classroom link' : 'Link';
  return (
    <button
      type="button"
      onClick={() => void copy(linkFor(classroom), what)}
      data-testid={classroom ? 'copy-classroom-link' : 'copy-link'}
      title={
        classroom
          ? 'Copy a link for a class: large type, only the picture, the explanation and the depth (and s, τ) controls; edit show= in it to name other controls'
          : 'Copy a short link to this picture: only the settings that differ from the defaults'
      }
    >
      {classroom ? 'Classroom link' : 'Copy link'}
    </button>
  );
}

export function CopyLinkButtons() {
  const classroom = useLecture((s) => s.classroom);
  if (classroom) return null;
  return (
    <>
      <CopyLinkButton classroom={false} />
      <CopyLinkButton classroom />
    </>
  );
}
