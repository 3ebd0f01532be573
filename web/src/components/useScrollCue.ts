import { useEffect, useRef, type RefObject } from 'react';

/**
 * A box that scrolls sideways (the navigation on a phone) says so: `data-more-start` /
 * `data-more-end` are set on `cueOn` while there is more to see on that side (the stylesheet
 * draws a fade and an arrow there), and the current link (`.active`) is scrolled into view
 * whenever `current` changes — the page you are on is never hidden off the edge.
 */
export function useScrollCue<T extends HTMLElement>(
  cueOn: RefObject<HTMLElement | null>,
  current: string,
): RefObject<T | null> {
  const ref = useRef<T>(null);

  useEffect(() => {
    const box = ref.current;
    const holder = cueOn.current;
    if (!box || !holder) return;
    const update = () => {
      const more = box.scrollWidth - box.clientWidth;
      holder.toggleAttribute('data-more-start', more > 1 && box.scrollLeft > 1);
      holder.toggleAttribute('data-more-end', more > 1 && box.scrollLeft < more - 1);
    };
    update();
    box.addEventListener('scroll', update, { passive: true });
    const resized = new ResizeObserver(update);
    resized.observe(box);
    // the links arrive or change (an admin's Users): the width to scroll changes, not the box
    if (box.firstElementChild) resized.observe(box.firstElementChild);
    return () => {
      box.removeEventListener('scroll', update);
      resized.disconnect();
    };
  }, [cueOn]);

  useEffect(() => {
    const box = ref.current;
    const active = box?.querySelector<HTMLElement>('.active');
    if (!box || !active || box.scrollWidth <= box.clientWidth) return;
    // centre the current link; measured, not scrollIntoView, which could scroll the page too
    const boxRect = box.getBoundingClientRect();
    const linkRect = active.getBoundingClientRect();
    box.scrollLeft += linkRect.left + linkRect.width / 2 - (boxRect.left + boxRect.width / 2);
  }, [current]);

  return ref;
}
